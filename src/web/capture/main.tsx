import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './capture.css';
import './form.css';
import './outbox.css';

const root = document.getElementById('root');
if (root === null) throw new Error('capture/index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
