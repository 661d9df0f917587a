// Administration under /api/admin: only administrators; every write is one transaction with its
// audit row (who, what, when, from where); secrets are returned once; bad input is a 4xx naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject, type TestUser } from '../support/auth.js';
import { workersWithPoints } from '../support/fixtures.js';

let db: Database;
let app: FastifyInstance;
let admin: TestUser;
let api: Inject;
const tag = Date.now().toString(36);

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  admin = await userWithToken(db.pool, 'admin');
  api = authorisedInject(app, admin.token);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

const lastAudit = async (action: string) =>
  (await db.pool.query('SELECT user_id, actor, action, target, detail, ip, at FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1', [action])).rows[0];

describe('only administrators', () => {
  it('refuses other roles with 403 before reading the body, and anonymous callers with 401', async () => {
    const viewer = await userWithToken(db.pool, 'viewer');
    const dispatcher = await userWithToken(db.pool, 'dispatcher');
    for (const headers of [viewer.headers, dispatcher.headers]) {
      expect((await app.inject({ url: '/api/admin/users', headers })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/admin/users', headers, payload: {} })).statusCode).toBe(403);
    }
    expect((await app.inject('/api/admin/devices')).statusCode).toBe(401);
  });
});

describe('users', () => {
  it('creates a dispatcher with a generated password (shown once), who can log in; audited', async () => {
    const res = await api({ method: 'POST', url: '/api/admin/users', payload: { username: `d-${tag}`, displayName: '调度员甲', role: 'dispatcher', township: '320722001' } });
    expect(res.statusCode).toBe(201);
    const { user, password } = res.json();
    expect(user).toMatchObject({ username: `d-${tag}`, role: 'dispatcher', township: '320722001', active: true });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `d-${tag}`, password } });
    expect(login.statusCode).toBe(200);
    const row = await lastAudit('user.create');
    expect(row).toMatchObject({ user_id: admin.id, actor: admin.username, target: `user:${user.id}`, ip: '127.0.0.1' });
    expect(JSON.stringify(row.detail)).not.toContain(password);
  });

  it('names the field of bad input: username, township, role', async () => {
    const bad = await api({ method: 'POST', url: '/api/admin/users', payload: { username: 'x y', displayName: 'x', role: 'viewer' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('username');
    const town = await api({ method: 'POST', url: '/api/admin/users', payload: { username: `v-${tag}`, displayName: 'x', role: 'viewer', township: '320722001' } });
    expect(town.statusCode).toBe(400);
    expect(town.json().field).toBe('township');
    const unknown = await api({ method: 'POST', url: '/api/admin/users', payload: { username: `u-${tag}`, displayName: 'x', role: 'dispatcher', township: '999999999' } });
    expect(unknown.json()).toMatchObject({ statusCode: 400, field: 'township' });
    const role = await api({ method: 'POST', url: '/api/admin/users', payload: { username: `r-${tag}`, displayName: 'x', role: 'root' } });
    expect(role.statusCode).toBe(400);
    expect(role.json().field).toMatch(/^role/);
    await api({ method: 'POST', url: '/api/admin/users', payload: { username: `dup-${tag}`, displayName: 'x', role: 'viewer', password: 'long enough password' } });
    const dup = await api({ method: 'POST', url: '/api/admin/users', payload: { username: `dup-${tag}`, displayName: 'x', role: 'viewer', password: 'long enough password' } });
    expect(dup.json()).toMatchObject({ statusCode: 409, field: 'username' });
  });

  it('changes role and township, resets a password (sessions end), deactivates (tokens end)', async () => {
    const u = await userWithToken(db.pool, 'viewer');
    const patch = (payload: object) => api({ method: 'PATCH', url: `/api/admin/users/${u.id}`, payload });
    expect((await patch({ role: 'dispatcher', township: '320722002' })).json()).toMatchObject({ role: 'dispatcher', township: '320722002' });
    expect((await patch({ role: 'editor' })).json()).toMatchObject({ role: 'editor', township: null });
    const reset = await api({ method: 'POST', url: `/api/admin/users/${u.id}/password`, payload: {} });
    expect(reset.json().password.length).toBeGreaterThan(20);
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: reset.json().password } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/kpis', headers: u.headers })).statusCode).toBe(200);
    expect((await patch({ active: false })).json().active).toBe(false);
    expect((await app.inject({ url: '/api/kpis', headers: u.headers })).statusCode).toBe(401);
    expect((await lastAudit('user.deactivate')).target).toBe(`user:${u.id}`);
    expect((await api({ method: 'PATCH', url: `/api/admin/users/${admin.id}`, payload: { active: false } })).json().field).toBe('active');
    expect((await api({ method: 'PATCH', url: '/api/admin/users/99999999', payload: { role: 'viewer' } })).statusCode).toBe(404);
  });
});

describe('tokens', () => {
  it('issues an API token once (it reads), lists it by reference, revokes it (at once)', async () => {
    const v = await userWithToken(db.pool, 'viewer');
    const res = await api({ method: 'POST', url: '/api/admin/tokens', payload: { userId: v.id, kind: 'api', label: 'QGIS 桌面', days: 30 } });
    expect(res.statusCode).toBe(201);
    const { token, ref } = res.json();
    expect((await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    const list = (await api('/api/admin/tokens')).json();
    expect(list.find((t: { ref: string }) => t.ref === ref)).toMatchObject({ kind: 'api', label: 'QGIS 桌面', username: v.username, revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(token);
    expect((await api({ method: 'DELETE', url: `/api/admin/tokens/${ref}` })).statusCode).toBe(204);
    expect((await app.inject({ url: '/ogc/collections', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await lastAudit('token.revoke')).target).toBe(`token:${ref}`);
    expect((await api({ method: 'DELETE', url: `/api/admin/tokens/${ref}` })).statusCode).toBe(404);
  });

  it('gives screen tokens to read-only users only', async () => {
    const e = await userWithToken(db.pool, 'editor');
    const res = await api({ method: 'POST', url: '/api/admin/tokens', payload: { userId: e.id, kind: 'screen', label: '大屏' } });
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'userId' });
  });
});

describe('devices', () => {
  it('issues a key (the phone reports with it), lists it with the last position, revokes it (403 at once)', async () => {
    const [w] = await workersWithPoints(db.pool, 1, 660);
    const issued = await api({ method: 'POST', url: `/api/admin/devices/${w.deviceId}/key` });
    expect(issued.statusCode).toBe(201);
    const { key } = issued.json();
    const osmand = (k: string) => app.inject(`/osmand?id=${w.deviceId}&key=${k}&lat=${w.lat}&lon=${w.lon}&timestamp=${Date.now() - Math.floor(Math.random() * 60_000)}`);
    expect((await osmand(key)).statusCode).toBe(200);
    expect((await osmand(w.key)).statusCode).toBe(401); // the key it had before
    const list = (await api('/api/admin/devices')).json();
    const d = list.find((x: { deviceId: string }) => x.deviceId === w.deviceId);
    expect(d.keyIssuedAt).not.toBeNull();
    expect(d.lastSeen).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(key);
    expect((await api({ method: 'DELETE', url: `/api/admin/devices/${w.deviceId}/key` })).statusCode).toBe(204);
    expect((await osmand(key)).statusCode).toBe(403);
    expect((await lastAudit('device_key.revoke'))).toMatchObject({ user_id: admin.id, target: `device:${w.deviceId}` });
    expect((await api({ method: 'POST', url: '/api/admin/devices/no-such-phone/key' })).json()).toMatchObject({ statusCode: 404, field: 'deviceId' });
  });
});

describe('Open311 clients and departments', () => {
  it('creates a client whose key files requests; revoking it ends that', async () => {
    const res = await api({ method: 'POST', url: '/api/admin/open311-clients', payload: { name: `12345 热线 ${tag}` } });
    expect(res.statusCode).toBe(201);
    const { client, apiKey } = res.json();
    const services = await app.inject({ url: `/open311/v2/services.json?api_key=${apiKey}`, headers: admin.headers });
    expect(services.statusCode).toBe(200);
    expect((await api({ method: 'DELETE', url: `/api/admin/open311-clients/${client.id}` })).statusCode).toBe(204);
    const after = await app.inject({ url: `/open311/v2/services.json?api_key=${apiKey}`, headers: admin.headers });
    expect(after.statusCode).toBe(403);
    expect((await api({ method: 'POST', url: '/api/admin/open311-clients', payload: { name: `12345 热线 ${tag}` } })).json().field).toBe('name');
  });

  it('edits a department\'s contact phone; a bad phone is a 400 naming it', async () => {
    const [d] = (await api('/api/admin/departments')).json();
    const res = await api({ method: 'PATCH', url: `/api/admin/departments/${d.id}`, payload: { phone: '0518-87654321' } });
    expect(res.json()).toMatchObject({ id: d.id, phone: '0518-87654321', name: d.name });
    expect((await api({ method: 'PATCH', url: `/api/admin/departments/${d.id}`, payload: { phone: 'call me' } })).json().field).toMatch(/^phone/);
    await api({ method: 'PATCH', url: `/api/admin/departments/${d.id}`, payload: { phone: d.phone } });
    expect((await lastAudit('department.update')).target).toBe(`department:${d.id}`);
  });
});
