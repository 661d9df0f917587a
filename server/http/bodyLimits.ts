// Request body limits by kind of route, so a large body is refused (413) before it is read whole:
// small for JSON and form writes, larger for a batch of positions and for grid geometry, and the
// GeoJSON import keeps the 20 MB its route sets.
import type { FastifyInstance, RouteOptions } from 'fastify';

const KB = 1024;
export const BODY_LIMITS = {
  /** Forms and JSON writes: a report, a transition, a login, an Open311 request. */
  default: 64 * KB,
  /** POST /api/positions: up to 1,000 positions. */
  positions: 512 * KB,
  /** Grid edits: the boundaries of the grids a change touches. */
  gridEdits: 2 * 1024 * KB,
};

export function bodyLimitFor(route: Pick<RouteOptions, 'url' | 'method'>): number {
  if (route.url === '/api/positions') return BODY_LIMITS.positions;
  if (route.url.startsWith('/api/grids')) return BODY_LIMITS.gridEdits;
  return BODY_LIMITS.default;
}

/** Sets each route's limit as it is added, unless the route sets its own. */
export function registerBodyLimits(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit === undefined) route.bodyLimit = bodyLimitFor(route);
  });
}
