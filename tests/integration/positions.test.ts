import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import { deviceHeaders, deviceKeys, pointOutside, resetPatrols, workersWithPoints, type TestWorker } from '../support/fixtures.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
let workers: TestWorker[];
// Each run uses fresh times so (device, time) never collides with an earlier run's rows.
const base = Date.now() - 60 * 60_000;
let clock = 0;
const nextTime = (offsetMs = 0) => new Date(base + offsetMs + (clock += 1000)).toISOString();

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false, tickMs: 50 } });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
  await app.ready();
  workers = await workersWithPoints(db.pool, 8, 100);
  await resetPatrols(db.pool, workers.map((w) => w.id));
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function stored(workerId: number, iso: string) {
  const { rows } = await db.pool.query('SELECT speed, ST_X(geom) AS lon, ST_Y(geom) AS lat, battery, heading FROM positions WHERE worker_id = $1 AND ts = $2', [workerId, iso]);
  return rows;
}

describe('POST /api/positions', () => {
  it('stores a batch and acknowledges only what is committed', async () => {
    const w = workers[0];
    const batch = [0, 1, 2].map((i) => ({ deviceId: w.deviceId, time: nextTime(), lon: w.lon + i * 1e-5, lat: w.lat, speed: 1.2, heading: 90, accuracy: 8, battery: 77 }));
    const res = await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: batch });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    for (const p of batch) expect(await stored(w.id, p.time)).toHaveLength(1);
  });

  it('stores the same device and time once', async () => {
    const w = workers[0];
    const p = { deviceId: w.deviceId, time: nextTime(), lon: w.lon, lat: w.lat };
    const res = await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [p, p] });
    expect(res.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    const again = await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [p] });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await stored(w.id, p.time)).toHaveLength(1);
  });

  it('reports bad points by index and stores the good ones', async () => {
    const w = workers[1];
    const good = { deviceId: w.deviceId, time: nextTime(), lon: w.lon, lat: w.lat };
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const batch = [
      good,
      { ...good, time: nextTime(), lon: 200 },
      { ...good, time: nextTime(), lon: 0, lat: 0 },
      { ...good, time: future },
      { ...good, time: '2020-01-01T00:00:00Z' },
      { ...good, time: nextTime(), deviceId: 'no-such-phone' },
      { ...good, time: nextTime(), speed: 'fast' },
      { ...good, time: 'tomorrow' },
      'not an object',
    ];
    const res = await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: batch });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [1, '1.lon'], [2, '2.lon'], [3, '3.time'], [4, '4.time'], [5, '5.deviceId'], [6, '6.speed'], [7, '7.time'], [8, '8.deviceId'],
    ]);
    expect(body.rejected[3].reason).toMatch(/older than/);
    expect(body.rejected[2].reason).toMatch(/future/);
    expect(await stored(w.id, good.time)).toHaveLength(1);
  });

  it('refuses positions older than the configured limit (POSITION_MAX_AGE_HOURS)', async () => {
    const limits = loadConfig({ POSITION_MAX_AGE_HOURS: '1' }).positionLimits;
    expect(limits.maxAgeMs).toBe(3_600_000);
    expect(loadConfig({}).positionLimits.maxAgeMs).toBe(7 * 86_400_000);
    const strict = await buildApp({ db, live: { timers: false, limits } });
    try {
      const w = workers[1];
      const old = { deviceId: w.deviceId, time: new Date(Date.now() - 2 * 3_600_000).toISOString(), lon: w.lon, lat: w.lat };
      const recent = { ...old, time: new Date(Date.now() - 30 * 60_000 - (clock += 1000)).toISOString() };
      const res = await strict.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [old, recent] });
      expect(res.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, field: '0.time', reason: 'is older than 1 hours' }] });
    } finally {
      await strict.close();
    }
  });

  it('a batch with nothing storable is a 400; a non-array or oversized body too', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/positions', payload: [{ deviceId: 'x', time: 'y', lon: 1, lat: 2 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().rejected).toHaveLength(1);
    for (const payload of [{}, [], new Array(1001).fill({})]) {
      const r = await app.inject({ method: 'POST', url: '/api/positions', payload });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(/^body: /);
    }
    const junk = await app.inject({ method: 'POST', url: '/api/positions', headers: { 'content-type': 'application/json' }, payload: '[{"deviceId": ' });
    expect(junk.statusCode).toBe(400);
  });
});

describe('OsmAnd / Traccar Client at /osmand', () => {
  it('GET with a query string, speed in knots', async () => {
    const w = workers[2];
    const ts = Math.floor(Date.now() / 1000) - 120;
    const res = await app.inject(`/osmand?id=${w.deviceId}&key=${w.key}&timestamp=${ts}&lat=${w.lat}&lon=${w.lon}&speed=10&bearing=45.5&altitude=12&accuracy=6&batt=88.5`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const [row] = await stored(w.id, new Date(ts * 1000).toISOString());
    expect(row.speed).toBeCloseTo(5.14444, 4);
    expect(row.heading).toBeCloseTo(45.5);
    expect(row.battery).toBeCloseTo(88.5);
  });

  it('POST with the parameters in the query string and no body (as Traccar Client sends)', async () => {
    const w = workers[2];
    const ts = Date.now() - 100_000;
    const res = await app.inject({ method: 'POST', url: `/osmand?deviceid=${w.deviceId}&key=${w.key}&timestamp=${ts}&location=${w.lat},${w.lon}` });
    expect(res.statusCode).toBe(200);
    expect(await stored(w.id, new Date(ts).toISOString())).toHaveLength(1);
  });

  it('POST form-encoded body', async () => {
    const w = workers[3];
    const when = new Date(Date.now() - 90_000);
    const stamp = when.toISOString().slice(0, 19).replace('T', ' ');
    const res = await api({
      method: 'POST', url: '/osmand', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ id: w.deviceId, key: w.key, timestamp: stamp, lat: String(w.lat), lon: String(w.lon), speed: '0', valid: 'true' }).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect(await stored(w.id, new Date(`${stamp}Z`).toISOString())).toHaveLength(1);
  });

  it('JSON body of newer clients (speed in m/s, battery level 0–1)', async () => {
    const w = workers[3];
    const timestamp = new Date(Date.now() - 80_000).toISOString();
    const res = await api({
      method: 'POST', url: '/osmand',
      payload: { device_id: w.deviceId, key: w.key, location: { timestamp, coords: { latitude: w.lat, longitude: w.lon, speed: 1.5, heading: 270, altitude: 5, accuracy: 4 }, battery: { level: 0.42, is_charging: false } } },
    });
    expect(res.statusCode).toBe(200);
    const [row] = await stored(w.id, timestamp);
    expect(row.speed).toBeCloseTo(1.5);
    expect(row.battery).toBeCloseTo(42);
  });

  it('an unknown device is a 400, as in Traccar; so is a bad position', async () => {
    const res = await app.inject(`/osmand?id=nobody-${Date.now()}&lat=34.5&lon=118.7`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/unknown device/);
    const w = workers[3];
    expect((await app.inject(`/osmand?id=${w.deviceId}&key=${w.key}&lat=95&lon=118.7`)).statusCode).toBe(400);
    expect((await app.inject(`/osmand?id=${w.deviceId}&key=${w.key}&lat=34.5&lon=118.7&speed=NaN`)).statusCode).toBe(400);
    expect((await app.inject(`/osmand?id=${w.deviceId}&key=${w.key}`)).statusCode).toBe(400);
  });
});

describe('device keys', () => {
  const fix = (w: TestWorker, extra: object = {}) => ({ deviceId: w.deviceId, time: nextTime(), lon: w.lon, lat: w.lat, ...extra });
  const postBatch = (payload: object[], headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/positions', payload, headers });

  it('a batch without the key, or with another device\'s, is refused with 401 naming the key', async () => {
    const [w, other] = [workers[5], workers[6]];
    const none = await postBatch([fix(w)]);
    expect(none.statusCode).toBe(401);
    expect(none.json().rejected[0]).toMatchObject({ index: 0, field: '0.key' });
    const wrong = await postBatch([fix(w)], deviceHeaders(other));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().rejected[0].reason).toMatch(/not the key of this device/);
  });

  it('a key per position lets one batch carry several devices; only the proven ones are stored', async () => {
    const [a, b] = [workers[5], workers[6]];
    const res = await postBatch([fix(a, { key: a.key }), fix(b, { key: b.key }), fix(b, { key: a.key })]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 2, rejected: [{ index: 2, field: '2.key' }] });
  });

  it('a revoked key gets 403, a rotated one 401; the new key works at once', async () => {
    const w = workers[7];
    expect((await postBatch([fix(w)], deviceHeaders(w))).statusCode).toBe(200);
    const { revokeDeviceKey } = await import('../../server/domain/devices.js');
    await revokeDeviceKey(db.pool, w.deviceId, { userId: null, name: 'test' });
    // what the admin API does after a revocation (other processes follow within their 2 s reload)
    await app.live.devices.refresh(true);
    const revoked = await postBatch([fix(w)], deviceHeaders(w));
    expect(revoked.statusCode).toBe(403);
    expect(revoked.json().rejected[0].reason).toMatch(/no active key/);
    expect((await app.inject(`/osmand?id=${w.deviceId}&key=${w.key}&lat=${w.lat}&lon=${w.lon}`)).statusCode).toBe(403);
    const fresh = (await deviceKeys(db.pool, [w.deviceId])).get(w.deviceId)!;
    expect((await postBatch([fix(w)], { 'x-device-key': fresh })).statusCode).toBe(200);
    expect((await postBatch([fix(w)], deviceHeaders(w))).statusCode).toBe(401);
    w.key = fresh;
  });

  it('a key rotated after it was proven stops working at the next reload of the keys', async () => {
    const w = workers[7];
    expect((await postBatch([fix(w)], deviceHeaders(w))).statusCode).toBe(200);
    const rotated = (await deviceKeys(db.pool, [w.deviceId])).get(w.deviceId)!;
    await app.live.devices.refresh(true);
    expect((await postBatch([fix(w)], deviceHeaders(w))).statusCode).toBe(401);
    expect((await postBatch([fix(w)], { 'x-device-key': rotated })).statusCode).toBe(200);
    w.key = rotated;
  });

  it('/osmand: the key in the query, the form or the JSON body; missing or wrong is 401, an unknown device still 400', async () => {
    const w = workers[6];
    const q = `id=${w.deviceId}&lat=${w.lat}&lon=${w.lon}`;
    expect((await app.inject(`/osmand?${q}&timestamp=${Date.now() - 70_000}&key=${w.key}`)).statusCode).toBe(200);
    const missing = await app.inject(`/osmand?${q}`);
    expect(missing.statusCode).toBe(401);
    expect(missing.body).toMatch(/^key: /);
    expect((await app.inject(`/osmand?${q}&key=wrong`)).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/osmand', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `${q}&timestamp=${Date.now() - 60_000}&key=${w.key}` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/osmand', payload: { device_id: w.deviceId, key: 'wrong', location: { timestamp: new Date().toISOString(), coords: { latitude: w.lat, longitude: w.lon } } } })).statusCode).toBe(401);
    expect((await app.inject(`/osmand?id=nobody-${Date.now()}&lat=34.5&lon=118.7&key=${w.key}`)).statusCode).toBe(400);
  });
});

describe('worker state, events and coverage', () => {
  it('derives patrolling, outside (after the grace period) and stores the events', async () => {
    const w = workers[4];
    const away = await pointOutside(db.pool, w.gridId);
    // All fixes on one local day (Asia/Shanghai, no daylight saving): in the first 40 minutes after
    // midnight they go just before it, and the coverage asked for is that day's.
    const localDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(ms);
    let base = Date.now() - 40 * 60_000;
    if (localDate(base) !== localDate(base + 16 * 60_000)) base = Date.parse(`${localDate(Date.now())}T00:00:00+08:00`) - 20 * 60_000;
    const t = (min: number) => new Date(base + min * 60_000).toISOString();
    const post = async (payload: object[]) => {
      const res = await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload });
      await app.live.state.flush();
      return res;
    };
    await post([{ deviceId: w.deviceId, time: t(0), lon: w.lon, lat: w.lat, speed: 1.4 }]);
    let { rows: [s] } = await db.pool.query('SELECT state, grid_id FROM worker_status WHERE worker_id = $1', [w.id]);
    expect(s).toEqual({ state: 'patrolling', grid_id: w.gridId });
    await post([{ deviceId: w.deviceId, time: t(5), lon: away.lon, lat: away.lat, speed: 1.4 }]);
    ({ rows: [s] } = await db.pool.query('SELECT state, grid_id FROM worker_status WHERE worker_id = $1', [w.id]));
    expect(s).toEqual({ state: 'patrolling', grid_id: away.gridId });
    await post([{ deviceId: w.deviceId, time: t(16), lon: away.lon, lat: away.lat, speed: 0 }]);
    ({ rows: [s] } = await db.pool.query('SELECT state FROM worker_status WHERE worker_id = $1', [w.id]));
    expect(s.state).toBe('outside');
    const { rows: events } = await db.pool.query(`SELECT kind, grid_id FROM worker_events WHERE worker_id = $1 AND ts >= $2 ORDER BY ts, id`, [w.id, t(0)]);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['grid_exit', 'grid_enter', 'left_assigned_grid']));
    const cov = (await api(`/api/patrols/coverage?date=${localDate(base)}`)).json();
    const mine = cov.workers.find((x: { workerId: number }) => x.workerId === w.id);
    expect(mine.grids).toEqual(expect.arrayContaining([w.gridId, away.gridId]));
    expect(cov.unvisited.find((g: { id: number }) => g.id === w.gridId)).toBeUndefined();
    const latest = (await api(`/api/positions/latest?township=${w.township}`)).json();
    expect(latest.find((x: { workerId: number }) => x.workerId === w.id)).toMatchObject({ state: 'outside', assignedGridId: w.gridId });
  });

  it('marks silent workers offline with an event', async () => {
    const w = workers[5];
    await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [{ deviceId: w.deviceId, time: new Date(Date.now() - 30 * 60_000).toISOString(), lon: w.lon, lat: w.lat }] });
    await app.live.state.flush();
    const n = await app.live.sweep();
    expect(n).toBeGreaterThanOrEqual(1);
    const { rows: [s] } = await db.pool.query('SELECT state FROM worker_status WHERE worker_id = $1', [w.id]);
    expect(s.state).toBe('offline');
    const ev = (await api(`/api/patrols/events?worker=${w.id}&kind=offline`)).json();
    expect(ev.length).toBeGreaterThanOrEqual(1);
    // the next report starts from the status the sweeper wrote, not from what this process last wrote
    const back = new Date(Date.now() - 60_000).toISOString();
    await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [{ deviceId: w.deviceId, time: back, lon: w.lon, lat: w.lat, speed: 1.2 }] });
    await app.live.state.flush();
    const { rows: [again] } = await db.pool.query('SELECT state FROM worker_status WHERE worker_id = $1', [w.id]);
    expect(again.state).toBe('patrolling');
    const online = (await api(`/api/patrols/events?worker=${w.id}&kind=online`)).json();
    expect(online.map((e: { time: string }) => Date.parse(e.time))).toContain(Date.parse(back));
  });

  it('a status row changed by another process is read again before the next fix is applied to it', async () => {
    // a worker of its own, with no status yet
    const [w] = await workersWithPoints(db.pool, 1, 200);
    await resetPatrols(db.pool, [w.id]);
    const base = Date.now() - 20 * 60_000;
    const t = (s: number) => new Date(base + s * 1000).toISOString();
    const post = async (time: string) => {
      await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: [{ deviceId: w.deviceId, time, lon: w.lon, lat: w.lat, speed: 1.3 }] });
      await app.live.state.flush();
    };
    const statusRow = async () => (await db.pool.query('SELECT state, state_since, ts, battery FROM worker_status WHERE worker_id = $1', [w.id])).rows[0];
    await post(t(0));
    const first = await statusRow();
    // as another server process (or the sweeper) would: the row changes behind this one's back
    await db.pool.query('UPDATE worker_status SET battery = 42 WHERE worker_id = $1', [w.id]);
    await post(t(10));
    const next = await statusRow();
    expect(next.state).toBe('patrolling');
    // still patrolling since the first fix: the time comes from the row read again, intact
    expect(next.state_since.getTime()).toBe(first.state_since.getTime());
    expect(next.ts.getTime()).toBe(Date.parse(t(10)));
    // a fix older than the stored one moves nothing and reports no event
    await post(t(5));
    expect((await statusRow()).ts.getTime()).toBe(Date.parse(t(10)));
    const { rows: events } = await db.pool.query('SELECT kind FROM worker_events WHERE worker_id = $1 AND ts > $2', [w.id, t(0)]);
    expect(events).toEqual([]);
  });

  it('GET /api/positions/latest filters by bbox and rejects a bad township', async () => {
    const w = workers[0];
    await app.live.state.flush();
    const box = [w.lon - 0.001, w.lat - 0.001, w.lon + 0.001, w.lat + 0.001].join(',');
    const inBox = (await api(`/api/positions/latest?bbox=${box}`)).json();
    expect(inBox.map((x: { workerId: number }) => x.workerId)).toContain(w.id);
    for (const x of inBox) {
      expect(x.lon).toBeGreaterThanOrEqual(w.lon - 0.001);
      expect(x.lon).toBeLessThanOrEqual(w.lon + 0.001);
    }
    expect((await api('/api/positions/latest?township=999999999')).statusCode).toBe(400);
    expect((await api('/api/positions/latest?bbox=1,2,3')).json().field).toBe('bbox');
  });

  it('GET /api/tracks returns a simplified path with times, distance and stops', async () => {
    const w = workers[6];
    const start = Date.now() - 50 * 60_000;
    const batch = [];
    for (let i = 0; i < 120; i++) {
      // walk east for 60 fixes, then stand still for 60 (10 minutes)
      const moving = i < 60;
      batch.push({ deviceId: w.deviceId, time: new Date(start + i * 10_000).toISOString(), lon: w.lon + Math.min(i, 60) * 1e-5, lat: w.lat, speed: moving ? 1.0 : 0 });
    }
    expect((await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: batch })).json().accepted).toBe(120);
    const from = new Date(start - 1000).toISOString();
    const to = new Date(start + 121 * 10_000).toISOString();
    const res = await api(`/api/tracks?worker=${w.id}&from=${from}&to=${to}&zoom=12`);
    expect(res.statusCode).toBe(200);
    const [track] = res.json();
    expect(track.points).toBe(120);
    expect(track.path.length).toBeLessThan(120);
    expect(track.path[0][2]).toBe(Math.floor(start / 1000));
    expect(track.distanceM).toBeGreaterThan(50);
    expect(track.stops).toHaveLength(1);
    expect(track.stops[0].minutes).toBeGreaterThanOrEqual(9);
    expect((await api(`/api/tracks?worker=${w.id}&from=${to}&to=${from}`)).statusCode).toBe(400);
  });

  it('GET /api/tracks gives several workers at once, or all of a grid or a village, and simplifies less when zoomed in', async () => {
    const [a, b] = [workers[6], workers[7]];
    const start = Date.now() - 40 * 60_000;
    for (const w of [a, b]) {
      const batch = Array.from({ length: 30 }, (_, i) => ({ deviceId: w.deviceId, time: new Date(start + i * 10_000).toISOString(), lon: w.lon + i * 1e-5 + (i % 2) * 2e-6, lat: w.lat + (i % 3) * 1e-6, speed: 1 }));
      expect((await app.inject({ method: 'POST', url: '/api/positions', headers: deviceHeaders(w), payload: batch })).statusCode).toBe(200);
    }
    const range = `from=${new Date(start - 1000).toISOString()}&to=${new Date(start + 300_000).toISOString()}`;
    const both = (await api(`/api/tracks?worker=${a.id},${b.id}&${range}`)).json();
    expect(both.map((t: { workerId: number }) => t.workerId)).toEqual([a.id, b.id].sort((x, y) => x - y));
    const ofGrid = (await api(`/api/tracks?grid=${a.gridId}&${range}`)).json();
    expect(ofGrid.map((t: { workerId: number }) => t.workerId)).toContain(a.id);
    expect(ofGrid.every((t: { gridId: number }) => t.gridId === a.gridId)).toBe(true);
    const { rows: [v] } = await db.pool.query('SELECT r.code FROM grids g JOIN regions r ON r.id = g.village_id WHERE g.id = $1', [a.gridId]);
    expect((await api(`/api/tracks?village=${v.code}&${range}`)).json().map((t: { workerId: number }) => t.workerId)).toContain(a.id);
    const far = (await api(`/api/tracks?worker=${a.id}&${range}&zoom=10`)).json()[0];
    const near = (await api(`/api/tracks?worker=${a.id}&${range}&zoom=20`)).json()[0];
    expect(far.path.length).toBeLessThan(near.path.length);
  });
});
