import { lazy, StrictMode, Suspense, useLayoutEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { ScreenApp } from './screen/ScreenApp.js';
import { I18nProvider } from './i18n/index.js';
import { navigate, routeOf, useRoute } from './router.js';
import { testHook } from './testHook.js';
import { applyTheme, darkTheme, lightTheme } from './theme.js';
import { takeTokenFromUrl } from './auth/token.js';
import { RequireLogin } from './auth/RequireLogin.js';
import './styles.css';
import './screen/screen.css';

// Test hook for browser tests (see testHook.ts).
window.__gridcc = testHook;
// `/screen#token=…`: kept for this tab, out of the URL before anything else reads it.
takeTokenFromUrl();

// Pages of their own, in separate chunks: the operator view and the wall load none of their code.
const ReplayPage = lazy(() => import('./replay/ReplayPage.js').then((m) => ({ default: m.ReplayPage })));
const EditorPage = lazy(() => import('./editor/EditorPage.js').then((m) => ({ default: m.EditorPage })));
const ReportsPage = lazy(() => import('./reports/ReportsPage.js').then((m) => ({ default: m.ReportsPage })));
const AdminPage = lazy(() => import('./admin/AdminPage.js').then((m) => ({ default: m.AdminPage })));

function Root() {
  const route = useRoute();
  const theme = route === 'screen' ? darkTheme : lightTheme;
  useLayoutEffect(() => {
    applyTheme(theme);
    document.documentElement.dataset.route = route;
  }, [theme, route]);
  // A new view gets a new map (and a fresh readiness in the test hook).
  switch (route) {
    case 'screen':
      return <RequireLogin><ScreenApp key="screen" theme={theme} /></RequireLogin>;
    case 'replay':
      return (
        <RequireLogin>
          <Suspense fallback={null}>
            <ReplayPage key="replay" theme={theme} onBack={() => navigate('/', { keepQuery: false })} />
          </Suspense>
        </RequireLogin>
      );
    case 'edit':
      return (
        <RequireLogin roles={['editor']}>
          <Suspense fallback={null}>
            <EditorPage key="edit" theme={theme} />
          </Suspense>
        </RequireLogin>
      );
    case 'reports':
      return (
        <RequireLogin>
          <Suspense fallback={null}>
            <ReportsPage key="reports" onBack={() => navigate('/', { keepQuery: false })} />
          </Suspense>
        </RequireLogin>
      );
    case 'admin':
      return (
        <RequireLogin roles={['admin']}>
          <Suspense fallback={null}>
            <AdminPage key="admin" onBack={() => navigate('/', { keepQuery: false })} />
          </Suspense>
        </RequireLogin>
      );
    default:
      return <RequireLogin><App key="operator" theme={theme} /></RequireLogin>;
  }
}

applyTheme(routeOf(location.pathname) === 'screen' ? darkTheme : lightTheme);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Root />
    </I18nProvider>
  </StrictMode>,
);
