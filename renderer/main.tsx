import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ConnectionGate } from './features/connection/ConnectionGate';
import { queryClient } from './lib/queryClient';
import { SessionProvider } from './lib/session';
import { theme } from './theme';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <MantineProvider theme={theme}>
        <ConnectionGate>
          <SessionProvider>
            <App />
          </SessionProvider>
        </ConnectionGate>
      </MantineProvider>
    </QueryClientProvider>
  </StrictMode>,
);
