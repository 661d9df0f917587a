import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { deviceHeaders, resetPatrols, workersWithPoints, type TestWorker } from '../support/fixtures.js';
import { liveClient, type LiveClient } from '../support/live.js';
import { userWithToken } from '../support/auth.js';

let db: Database;
let app: FastifyInstance;
let url: string;
let workers: TestWorker[];
/** a viewer's token for the socket handshake */
let token: string;
const clients: LiveClient[] = [];
let t = Date.now() - 20 * 60_000;
/** Posts one fix and waits until its derived state is committed (as the next tick would). */
const post = async (w: TestWorker, dLon = 0) => {
  const res = await app.inject({
    method: 'POST', url: '/api/positions', headers: deviceHeaders(w),
    payload: [{ deviceId: w.deviceId, time: new Date((t += 1000)).toISOString(), lon: w.lon + dLon, lat: w.lat, speed: 1 }],
  });
  await app.live.state.flush();
  return res;
};
const has = (id: number) => (m: { workers: Array<[number, ...unknown[]]> }) => m.workers.some((x) => x[0] === id);

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false, tickMs: 100 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  token = (await userWithToken(db.pool)).token;
  workers = await workersWithPoints(db.pool, 3, 300);
  await resetPatrols(db.pool, workers.map((w) => w.id));
  // make sure each has a status row
  for (const w of workers) await post(w);
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await app?.close();
  await db?.close();
});

async function client() {
  const c = await liveClient(url, token);
  clients.push(c);
  return c;
}

describe('live push', () => {
  it('a county subscriber gets a snapshot, then each committed position within a tick', async () => {
    const c = await client();
    const ack = await c.subscribe({ scope: 'county' });
    expect(ack.ok).toBe(true);
    expect(c.snapshots[0].full).toBe(true);
    expect(c.snapshots[0].workers.length).toBeGreaterThanOrEqual(3);
    const w = workers[0];
    const posted = Date.now();
    await post(w, 0.0001);
    const m = await c.waitFor(has(w.id));
    const tuple = m.workers.find((x) => x[0] === w.id)!;
    expect(tuple[1]).toBeCloseTo(w.lon + 0.0001, 5);
    expect(Date.now() - posted).toBeLessThan(3000);
  });

  it('a bbox subscriber gets only its view, and "gone" when a worker leaves it', async () => {
    const [a, b] = workers;
    const c = await client();
    const box: [number, number, number, number] = [a.lon - 0.002, a.lat - 0.002, a.lon + 0.002, a.lat + 0.002];
    expect((await c.subscribe({ scope: 'bbox', bbox: box })).ok).toBe(true);
    expect(c.snapshots[0].workers.map((x) => x[0])).toContain(a.id);
    expect(c.snapshots[0].workers.map((x) => x[0])).not.toContain(b.id);
    await post(b);
    await post(a);
    await c.waitFor(has(a.id));
    expect(c.positions.some(has(b.id))).toBe(false);
    await post(a, 0.01); // out of the box
    const m = await c.waitFor((x) => Boolean(x.gone?.includes(a.id)));
    expect(m.workers.map((x) => x[0])).not.toContain(a.id);
  });

  it('a township subscriber gets workers of that township', async () => {
    const w = workers[2];
    const c = await client();
    expect((await c.subscribe({ scope: 'township', township: w.township })).ok).toBe(true);
    expect(c.snapshots[0].workers.map((x) => x[0])).toContain(w.id);
    await post(w, 0.00005);
    await c.waitFor(has(w.id));
  });

  it('after a reconnect the client gets what it missed, not a full reload', async () => {
    const [w, other] = workers;
    // let earlier updates age past the 5 s catch-up margin
    await new Promise((r) => setTimeout(r, 6000));
    const c1 = await client();
    await c1.subscribe({ scope: 'county' });
    const since = c1.snapshots[0].at;
    c1.close();
    await post(w, 0.0002);
    const c2 = await client();
    const ack = await c2.subscribe({ scope: 'county', since });
    expect(ack).toMatchObject({ ok: true, full: false });
    const snap = c2.snapshots[0];
    expect(snap.full).toBe(false);
    expect(snap.workers.map((x) => x[0])).toContain(w.id);
    expect(snap.workers.map((x) => x[0])).not.toContain(other.id);
    const total = (await db.pool.query('SELECT count(*)::int AS n FROM worker_status')).rows[0].n;
    expect(snap.workers.length).toBeLessThan(total);
  }, 20_000);

  it('a bad subscription is refused with the reason', async () => {
    const c = await client();
    expect(await c.subscribe({ scope: 'bbox', bbox: [1, 2] } as never)).toMatchObject({ ok: false });
    expect((await c.subscribe({ scope: 'township', township: 'x' } as never)).error).toMatch(/township/);
  });
});
