import { configure } from '@chorus/tracker';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// Before the elements connect: an inline <comment-prompt> offers its form only once a collector is configured.
configure({ collector: import.meta.env.VITE_CHORUS_COLLECTOR ?? 'http://localhost:8787/collect', site: 'react-example' });

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
