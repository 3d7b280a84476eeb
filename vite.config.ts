import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The renderer only: built to dist/renderer, served by Electron's app:// protocol or the browser host. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
});
