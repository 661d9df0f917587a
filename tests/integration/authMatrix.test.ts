// Who may call what: every route the app registers (from the auth plugin's onRoute table, so a new
// route cannot be left out) × every kind of caller gives the expected status class: 401 (not
// logged in), 403 (logged in, wrong role or scope), or anything else below 500 (served, or a 4xx
// about the request itself). Writes need an explicit entry below; reads default to any logged-in
// user; everything under /api/admin is for administrators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import type { RouteAccess } from '../../server/plugins/auth.js';
import type { Role } from '../../server/schemas/auth.js';
import { revokeDeviceKey } from '../../server/domain/devices.js';
import { seededTestDatabase } from '../support/db.js';
import { issueTestToken, userWithToken } from '../support/auth.js';
import { workersWithPoints, type TestWorker } from '../support/fixtures.js';
import { createUser } from '../support/users.js';

const TOWNSHIP_IN = '320722001';
const TOWNSHIP_OUT = '320722002';

// The open routes, and those that check a key of their own: the specification, not the server's list.
const PUBLIC = ['GET /api/health', 'GET /api/ready', 'GET /api/config', 'POST /api/auth/login', 'POST /api/auth/logout'];
const DEVICE_KEY = ['POST /api/positions', 'GET /osmand', 'POST /osmand', 'PUT /osmand'];
const OPEN311_KEY = ['POST /open311/v2/requests.json', 'POST /open311/v2/requests.xml', 'POST /open311/v2/requests/:id/:file'];
const EDITOR: Role[] = ['editor'];
/** Roles of every route that is not a read; 'any': any logged-in user (the domain decides further). */
const WRITES: Record<string, Role[] | 'any'> = {
  'POST /api/grids/changes': EDITOR, 'POST /api/grids/:id/split': EDITOR, 'POST /api/grids/merge': EDITOR,
  'POST /api/grids/:id/reassign': EDITOR, 'POST /api/grids': EDITOR, 'POST /api/grids/:id/revert': EDITOR,
  'POST /api/grids/changes/:id/revert': EDITOR, 'POST /api/grids/import': EDITOR,
  'POST /api/incidents': ['dispatcher'],
  // per action and township: tests/integration/incidentWorkflow.test.ts
  'POST /api/incidents/:id/transitions': 'any',
};
/** Administration, read or write, is for administrators only. */
const ADMIN = (url: string) => url.startsWith('/api/admin/');

type Who = 'none' | 'expired' | 'viewer' | 'screen' | 'dispatcherIn' | 'dispatcherOut' | 'editor' | 'admin' | 'revokedDevice';
const WHO: Who[] = ['none', 'expired', 'viewer', 'screen', 'dispatcherIn', 'dispatcherOut', 'editor', 'admin', 'revokedDevice'];
const ROLE_OF: Partial<Record<Who, Role>> = { viewer: 'viewer', screen: 'viewer', dispatcherIn: 'dispatcher', dispatcherOut: 'dispatcher', editor: 'editor', admin: 'admin' };

let db: Database;
let app: FastifyInstance;
let routes: RouteAccess[];
const headers = {} as Record<Who, Record<string, string>>;
/** a phone whose key was revoked */
let device: TestWorker;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  await app.ready();
  routes = app.routeAccess;
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const expiredUser = await createUser(db.pool, 'admin');
  headers.none = {};
  headers.expired = { cookie: `gridcc_session=${await issueTestToken(db.pool, expiredUser.id, 'session', -1)}` };
  headers.viewer = (await userWithToken(db.pool, 'viewer')).headers;
  headers.screen = bearer((await userWithToken(db.pool, 'viewer', undefined, 'screen')).token);
  headers.dispatcherIn = (await userWithToken(db.pool, 'dispatcher', TOWNSHIP_IN)).headers;
  headers.dispatcherOut = (await userWithToken(db.pool, 'dispatcher', TOWNSHIP_OUT)).headers;
  headers.editor = (await userWithToken(db.pool, 'editor')).headers;
  headers.admin = (await userWithToken(db.pool, 'admin')).headers;
  // a phone whose key was revoked: its key is no login, and no longer a device key either
  [device] = await workersWithPoints(db.pool, 1, 640);
  await revokeDeviceKey(db.pool, device.deviceId, { userId: null, name: 'test' });
  await app.live.devices.refresh(true);
  headers.revokedDevice = { ...bearer(device.key), 'x-device-key': device.key };
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const SAMPLE: Record<string, string> = { id: '1', collectionId: 'grids', featureId: '1', layer: 'grids', z: '0', x: '0', file: '0.json', tilejson: 'grids.json' };
const fill = (url: string) => url.replace(/:(\w+)/g, (_, p: string) => SAMPLE[p] ?? '1').replace(/\*$/, 'x');
type Expect = 401 | 403 | 'ok';
const classOf = (status: number): Expect | number => (status === 401 || status === 403 ? status : status < 500 ? 'ok' : status);

function expected(r: RouteAccess, who: Who): Expect {
  const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
  if (PUBLIC.includes(key) || r.url === '/docs' || r.url.startsWith('/docs/')) return 'ok';
  if (who === 'none' || who === 'expired' || who === 'revokedDevice') return 401;
  const roles = ADMIN(r.url) ? ['admin'] : r.method === 'GET' || r.method === 'HEAD' ? 'any' : WRITES[key];
  if (roles === undefined) throw new Error(`${key}: not in the WRITES table of this test; add who may call it`);
  if (roles === 'any') return 'ok';
  const role = ROLE_OF[who]!;
  return role === 'admin' || roles.includes(role) ? 'ok' : 403;
}

describe('authorisation matrix', () => {
  it('sees every route of the app, each with the access the specification gives it', () => {
    expect(routes.length).toBeGreaterThan(60);
    for (const known of ['GET /api/grids', 'GET /ogc/collections/:collectionId/items', 'GET /tiles/:layer/:z/:x/:file', 'GET /open311/v2/requests.json', 'GET /docs/json']) {
      expect(routes.some((r) => `${r.method} ${r.url}` === known), known).toBe(true);
    }
    for (const r of routes) {
      const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;
      const spec = PUBLIC.includes(key) || r.url.startsWith('/docs') ? 'public' : DEVICE_KEY.includes(key) || OPEN311_KEY.includes(key) ? 'own-key' : 'user';
      expect(r.access, key).toBe(spec);
    }
  });

  it('every route × every caller: 401, 403 or served (never a 5xx)', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      if (r.access === 'own-key') continue; // below
      // logging out would end the callers' sessions: only asked anonymously
      const callers = r.url === '/api/auth/logout' ? (['none', 'expired'] as Who[]) : r.method === 'HEAD' ? (['none', 'viewer'] as Who[]) : WHO;
      for (const who of callers) {
        const res = await app.inject({ method: r.method as InjectOptions['method'], url: fill(r.url), headers: headers[who] });
        const want = expected(r, who);
        const got = classOf(res.statusCode);
        if (got !== want) failures.push(`${key} as ${who}: ${res.statusCode} (want ${want}) ${res.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('phones need their own key: a login is no device key, a revoked key is 403', async () => {
    const fix = () => ({ deviceId: device.deviceId, time: new Date(Date.now() - Math.random() * 600_000).toISOString(), lon: device.lon, lat: device.lat });
    for (const who of WHO) {
      const batch = await app.inject({ method: 'POST', url: '/api/positions', payload: [fix()], headers: headers[who] });
      expect(batch.statusCode, `POST /api/positions as ${who}`).toBe(who === 'revokedDevice' ? 403 : 401);
      const q = `id=${device.deviceId}&lat=${device.lat}&lon=${device.lon}`;
      for (const method of ['GET', 'POST', 'PUT'] as const) {
        const res = await app.inject({ method, url: `/osmand?${q}`, headers: headers[who] });
        expect(res.statusCode, `${method} /osmand as ${who}`).toBe(who === 'revokedDevice' ? 403 : 401);
      }
    }
  });

  it('the 12345 hotline files requests with its api_key only: a login does not stand in for it', async () => {
    for (const who of WHO) {
      for (const url of ['/open311/v2/requests.json', '/open311/v2/requests.xml', '/open311/v2/requests/X/rating.json']) {
        const res = await app.inject({ method: 'POST', url, headers: { ...headers[who], 'content-type': 'application/x-www-form-urlencoded' }, payload: 'service_code=C01' });
        expect(res.statusCode, `${url} as ${who}`).toBe(403);
      }
    }
  });

  it('a township dispatcher reports only inside the township; viewers, the screen and editors not at all', async () => {
    const { rows: [p] } = await db.pool.query(`
      SELECT ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
      FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id WHERE t.code = $1 ORDER BY g.id LIMIT 1`, [TOWNSHIP_IN]);
    const body = { category: 'C01', source: 'command_center', description: '权限测试', lon: p.lon, lat: p.lat };
    const out = await app.inject({ method: 'POST', url: '/api/incidents', payload: body, headers: headers.dispatcherOut });
    expect(out.statusCode).toBe(403);
    expect(out.json().message).toMatch(/outside your township/);
    const inScope = await app.inject({ method: 'POST', url: '/api/incidents', payload: body, headers: headers.dispatcherIn });
    expect(inScope.statusCode).toBe(201);
    for (const who of ['viewer', 'screen', 'editor'] as const) {
      expect((await app.inject({ method: 'POST', url: '/api/incidents', payload: body, headers: headers[who] })).statusCode, who).toBe(403);
    }
  });
});
