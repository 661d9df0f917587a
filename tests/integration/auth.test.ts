import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { openDatabase, type Database } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { bootstrapUsers } from '../../server/domain/bootstrap.js';
import { hashPassword, verifyPassword } from '../../server/domain/passwords.js';
import { createDatabase, seededTestDatabase } from '../support/db.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';
import { userWithToken } from '../support/auth.js';
import { liveClient } from '../support/live.js';

let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const login = (username: string, password = TEST_PASSWORD, extra: object = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...extra } });
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0];

describe('passwords', () => {
  it('are salted scrypt hashes, verified in constant time', async () => {
    const a = await hashPassword('秘密-password');
    const b = await hashPassword('秘密-password');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('秘密-password', a)).toBe(true);
    expect(await verifyPassword('秘密-passwore', a)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('login, session, logout', () => {
  it('logs in to an HttpOnly SameSite cookie that identifies the user', async () => {
    const u = await createUser(db.pool, 'dispatcher', '320722001');
    const res = await login(u.username);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: u.username, role: 'dispatcher', township: '320722001' });
    expect(res.json().token).toBeUndefined();
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; Secure behind TLS
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: cookieOf(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json().username).toBe(u.username);
  });

  it('gives API clients a bearer token; logout revokes it', async () => {
    const u = await createUser(db.pool, 'editor');
    const res = await login(u.username, TEST_PASSWORD, { bearer: true });
    const token = res.json().token as string;
    expect(token.length).toBeGreaterThan(30);
    const auth = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/auth/me', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth })).statusCode).toBe(204);
    // a fresh app instance has no cache: the revocation is in the database
    const other = await buildApp({ db, live: { timers: false } });
    expect((await other.inject({ url: '/api/auth/me', headers: auth })).statusCode).toBe(401);
    await other.close();
  });

  it('refuses wrong passwords, unknown users and expired tokens alike with 401', async () => {
    const u = await createUser(db.pool, 'viewer');
    expect((await login(u.username, 'nope')).statusCode).toBe(401);
    expect((await login('no-such-user')).statusCode).toBe(401);
    expect((await login(u.username, 'nope')).json().message).toBe('wrong username or password');
    const { token } = await app.issueToken(u.id, 'api', -1);
    expect((await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/auth/me', headers: { authorization: 'Bearer garbage' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
  });

  it('rate-limits failed logins per user with 429 and Retry-After', async () => {
    const u = await createUser(db.pool, 'viewer');
    for (let i = 0; i < 10; i++) expect((await login(u.username, `wrong-${i}`)).statusCode).toBe(401);
    const blocked = await login(u.username);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rejects malformed login bodies with a 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('password');
  });
});

describe('reads need a login too', () => {
  it('refuses API, OGC, tile and Open311 reads without a login, naming how to log in', async () => {
    for (const url of ['/api/grids', '/api/positions/latest', '/api/incidents/recent', '/ogc/collections', '/tiles/grids.json', '/open311/v2/services.json']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['www-authenticate'], url).toBe('Bearer');
      expect(res.body, url).toMatch(/login required/);
    }
  });

  it('an expired or revoked token is told to log in again', async () => {
    const u = await createUser(db.pool, 'viewer');
    const { token } = await app.issueToken(u.id, 'session', -1);
    const res = await app.inject({ url: '/api/grids', headers: { cookie: `gridcc_session=${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/expired/);
  });

  it('a session cookie, a bearer API token or the screen token read; health, config and the docs stay open', async () => {
    const u = await createUser(db.pool, 'viewer');
    const session = await app.issueToken(u.id, 'session', 1);
    const apiToken = await app.issueToken(u.id, 'api', 1);
    const screen = await app.issueToken(u.id, 'screen', 1);
    expect((await app.inject({ url: '/api/kpis', headers: { cookie: `gridcc_session=${session.token}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${apiToken.token}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/regions?level=township', headers: { authorization: `Bearer ${screen.token}` } })).statusCode).toBe(200);
    for (const url of ['/api/health', '/api/config', '/docs/json']) expect((await app.inject(url)).statusCode, url).toBe(200);
  });
});

describe('live connections (socket.io)', () => {
  let live: FastifyInstance;
  let url: string;
  const TOWNSHIP = '320722001';
  beforeAll(async () => {
    live = await buildApp({ db, live: { timers: false } });
    await live.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(live.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await live?.close(); });

  it('are refused without a login, or with an ended session, with a clear error', async () => {
    await expect(liveClient(url)).rejects.toThrow(/login required/);
    await expect(liveClient(url, 'not-a-token')).rejects.toThrow(/expired or token revoked/);
  });

  it('accept the session cookie or a token; a county-wide user may watch the county', async () => {
    const viewer = await userWithToken(db.pool, 'viewer', undefined, 'session');
    const byToken = await liveClient(url, viewer.token);
    expect((await byToken.subscribe({ scope: 'county' })).ok).toBe(true);
    byToken.close();
    const { io } = await import('socket.io-client');
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: `gridcc_session=${viewer.token}` } });
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
    expect((await socket.timeout(10_000).emitWithAck('subscribe', { scope: 'county' })).ok).toBe(true);
    socket.close();
  });

  it('a township dispatcher may watch only views inside the township', async () => {
    const d = await userWithToken(db.pool, 'dispatcher', TOWNSHIP);
    const c = await liveClient(url, d.token);
    try {
      const county = await c.subscribe({ scope: 'county' });
      expect(county.ok).toBe(false);
      expect(county.error).toMatch(/^subscription\.scope: .*320722001/);
      const other = await c.subscribe({ scope: 'township', township: '320722002' });
      expect(other).toMatchObject({ ok: false });
      expect(other.error).toMatch(/^subscription\.township/);
      expect((await c.subscribe({ scope: 'township', township: TOWNSHIP })).ok).toBe(true);
      const { rows: [p] } = await db.pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM regions WHERE code = $1`, [TOWNSHIP]);
      expect((await c.subscribe({ scope: 'bbox', bbox: [p.x - 0.0005, p.y - 0.0005, p.x + 0.0005, p.y + 0.0005] })).ok).toBe(true);
      const wide = await c.subscribe({ scope: 'bbox', bbox: [118.2, 34.2, 119.2, 34.9] });
      expect(wide.ok).toBe(false);
      expect(wide.error).toMatch(/^subscription\.bbox: outside township/);
      // a malformed box is still named by the hub
      expect((await c.subscribe({ scope: 'bbox', bbox: [1, 2] } as never)).error).toMatch(/bbox/);
    } finally {
      c.close();
    }
  });
});

describe('first start', () => {
  it('creates an admin with a random password once, and a read-only screen token', async () => {
    const fresh = await openDatabase({ databaseUrl: await createDatabase('gridcc_bootstrap_test', { fresh: true }), dataDir: '' });
    try {
      await migrate(fresh.pool);
      const first = await bootstrapUsers(fresh.pool);
      expect(first).not.toBeNull();
      expect(first!.password).toMatch(/^[A-Za-z0-9-]{20,}$/);
      expect(await bootstrapUsers(fresh.pool)).toBeNull();
      const other = await bootstrapUsers(fresh.pool);
      expect(other).toBeNull();
      const a = await buildApp({ db: fresh, live: { timers: false } });
      const res = await a.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: first!.password } });
      expect(res.json().user.role).toBe('admin');
      const me = await a.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${first!.screenToken}` } });
      expect(me.json()).toMatchObject({ username: 'screen', role: 'viewer' });
      const { rows } = await fresh.pool.query('SELECT password_hash FROM users WHERE username = $1', ['admin']);
      expect(rows[0].password_hash).not.toContain(first!.password);
      await a.close();
    } finally {
      await fresh.close();
    }
  });
});
