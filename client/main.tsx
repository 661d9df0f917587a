import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { I18nProvider } from './i18n/index.js';
import { testHook } from './testHook.js';
import { applyTheme, lightTheme } from './theme.js';
import './styles.css';

// Test hook for browser tests (see testHook.ts).
window.__gridcc = testHook;

applyTheme(lightTheme);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App theme={lightTheme} />
    </I18nProvider>
  </StrictMode>,
);
