import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import { MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ConnectionGate } from './features/connection/ConnectionGate';
import { SessionProvider } from './lib/session';
import { theme } from './theme';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <ConnectionGate>
        <SessionProvider>
          <App />
        </SessionProvider>
      </ConnectionGate>
    </MantineProvider>
  </StrictMode>,
);
