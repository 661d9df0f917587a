// GET /api/admin/metrics: for administrators only; memory, event-loop delay, live and ingest figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { userWithToken } from '../support/auth.js';

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

describe('GET /api/admin/metrics', () => {
  it('answers an administrator with the process figures', async () => {
    const admin = await userWithToken(db.pool, 'admin');
    const res = await app.inject({ url: '/api/admin/metrics', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.rssMb).toBeGreaterThan(10);
    expect(m.heapUsedMb).toBeGreaterThan(1);
    expect(m.eventLoopDelayMs.p99).toBeGreaterThanOrEqual(m.eventLoopDelayMs.p50);
    expect(m.live).toMatchObject({ clients: 0, viewGroups: 0 });
    expect(m.ingest).toMatchObject({ writerQueue: 0 });
    expect(m.pool.total).toBeGreaterThanOrEqual(m.pool.idle);
  });

  it('is refused without a login (401) and to other roles (403)', async () => {
    expect((await app.inject({ url: '/api/admin/metrics' })).statusCode).toBe(401);
    const viewer = await userWithToken(db.pool, 'viewer');
    expect((await app.inject({ url: '/api/admin/metrics', headers: viewer.headers })).statusCode).toBe(403);
  });
});
