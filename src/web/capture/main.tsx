import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { registerCaptureWorker } from './offline/update.ts';
import './capture.css';
import './form.css';
import './outbox.css';
import './screens.css';
import './detail.css';

const root = document.getElementById('root');
if (root === null) throw new Error('capture/index.html has no #root element');

// The service worker makes the app open offline and brings updates; registering early lets it install while
// the person signs in.
registerCaptureWorker();

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
