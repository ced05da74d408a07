import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { LeafyGreenProvider } from './LeafyGreenProvider.ts';
import { createQueryClient } from './queries.ts';
import './admin.css';
import './control-plane.css';

const root = document.getElementById('root');
if (root === null) throw new Error('admin/index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <LeafyGreenProvider baseFontSize={14}>
        <App />
      </LeafyGreenProvider>
    </QueryClientProvider>
  </StrictMode>,
);
