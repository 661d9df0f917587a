import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { startSimulator } from '../../server/simulator/index.js';
import { seededTestDatabase } from '../support/db.js';
import { resetPatrols } from '../support/fixtures.js';

let db: Database;
let app: FastifyInstance;
let url: string;
/** Workers the simulator moved: their patrol records are cleared afterwards for the other tests. */
let moved: number[] = [];

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false, tickMs: 100 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (moved.length) await resetPatrols(db.pool, moved);
  await app?.close();
  await db?.close();
});

describe('patrol simulator', () => {
  it('reports every worker through /osmand with its own key, moves them in their grids and files incidents', async () => {
    const { rows: [{ n: workers }] } = await db.pool.query(`SELECT count(*)::int AS n FROM workers WHERE active AND device_id IS NOT NULL`);
    const { rows: [{ now: start }] } = await db.pool.query('SELECT now()');
    // a report a second from each phone, around the clock, and incidents at a pace a test can see
    const sim = await startSimulator(db.pool, { baseUrl: url, intervalSec: 1, allDay: true, seed: 11, incidents: app.incidents, incidentsPerHour: 7200 });
    await new Promise((r) => setTimeout(r, 3500));
    await sim.stop();
    await app.live.state.flush();
    moved = (await db.pool.query(`SELECT DISTINCT worker_id FROM positions WHERE ts >= date_trunc('second', $1::timestamptz)`, [start])).rows.map((r) => r.worker_id);

    expect(sim.stats.failed).toBe(0);
    expect(sim.stats.ok).toBeGreaterThanOrEqual(workers);
    // stored through the OsmAnd endpoint like a phone's reports: most workers, each in plausible places
    const { rows: [stored] } = await db.pool.query(`
      SELECT count(DISTINCT p.worker_id)::int AS workers, count(*)::int AS positions, max(p.speed) AS "maxSpeed",
             (count(*) FILTER (WHERE ST_Intersects(g.geom, p.geom)))::float / count(*) AS "inOwnGrid"
      FROM positions p JOIN workers w ON w.id = p.worker_id JOIN grids g ON g.id = w.grid_id
      WHERE p.ts >= date_trunc('second', $1::timestamptz)`, [start]);
    // (reports carry whole seconds: at one a second, a phone now and then repeats a time, stored once)
    expect(stored.positions).toBeLessThanOrEqual(sim.stats.ok);
    expect(stored.positions).toBeGreaterThan(sim.stats.ok * 0.98);
    expect(stored.workers).toBeGreaterThan(workers * 0.8);
    expect(stored.inOwnGrid).toBeGreaterThan(0.9);
    expect(stored.maxSpeed).toBeLessThan(7);
    // the derived state follows: on patrol or idle, in a grid
    const { rows: states } = await db.pool.query(`
      SELECT state, count(*)::int AS n FROM worker_status WHERE ts >= date_trunc('second', $1::timestamptz) GROUP BY state`, [start]);
    const byState = Object.fromEntries(states.map((s) => [s.state, s.n]));
    expect((byState.patrolling ?? 0) + (byState.idle ?? 0)).toBeGreaterThan(workers * 0.8);
    // new incidents, found on patrol or called in to 12345
    const { rows: [filed] } = await db.pool.query(`SELECT count(*)::int AS n FROM incidents WHERE reported_at >= $1 AND source IN ('grid_worker', 'hotline')`, [start]);
    expect(filed.n).toBe(sim.stats.incidents);
    expect(filed.n).toBeGreaterThan(0);
  });
});
