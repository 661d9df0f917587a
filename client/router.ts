// Client-side routing by `location.pathname`, no library: the server answers every non-API path
// with the app shell (server/app.ts), and the app picks the view here.
//
//   /          operator view (light theme)
//   /screen    wall screen (dark theme, 1920×1080 and 3840×2160)
//   /replay    patrol replay (client/replay, loaded on demand)
//   /edit      grid boundary editor (client/editor, loaded on demand)
//   /reports   incident reports per grid, village, township, department (client/reports, on demand)
//   /admin     administration: users, tokens, device keys, Open311 clients (client/admin, on demand)
//
// Another page adds a line to ROUTES and a case in main.tsx.
import { useEffect, useState } from 'react';

export type Route = 'operator' | 'screen' | 'replay' | 'edit' | 'reports' | 'admin';

const under = (prefix: string) => (p: string) => p === prefix || p.startsWith(`${prefix}/`);
const ROUTES: Array<{ route: Route; test: (path: string) => boolean }> = [
  { route: 'screen', test: under('/screen') },
  { route: 'replay', test: under('/replay') },
  { route: 'edit', test: under('/edit') },
  { route: 'reports', test: under('/reports') },
  { route: 'admin', test: under('/admin') },
];

export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  return ROUTES.find((r) => r.test(path))?.route ?? 'operator';
}

/** Goes to another view without reloading (keeps the query string when asked). */
export function navigate(pathname: string, { keepQuery = true } = {}): void {
  const search = keepQuery ? globalThis.location.search : '';
  globalThis.history.pushState(null, '', `${pathname}${search}`);
  globalThis.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following back/forward and navigate(). */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => routeOf(globalThis.location?.pathname ?? '/'));
  useEffect(() => {
    const onPop = () => setRoute(routeOf(globalThis.location.pathname));
    globalThis.addEventListener('popstate', onPop);
    return () => globalThis.removeEventListener('popstate', onPop);
  }, []);
  return route;
}
