// The request log: what it shows of a request, and what it must not (device keys, tokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { redactUrl } from '../../server/http/logRedaction.js';
import { seededTestDatabase } from '../support/db.js';
import { workersWithPoints, type TestWorker } from '../support/fixtures.js';

let db: Database;
let app: FastifyInstance;
let worker: TestWorker;
const lines: string[] = [];

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false }, logger: { level: 'info', stream: { write: (line) => { lines.push(line); } } } });
  await app.ready();
  [worker] = await workersWithPoints(db.pool, 1, 40);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('request log', () => {
  it('masks secret query parameters and keeps the rest', () => {
    expect(redactUrl('/osmand?id=7&key=abc-DEF_1&lat=34.5')).toBe('/osmand?id=7&key=[redacted]&lat=34.5');
    expect(redactUrl('/x?token=t1&api_key=k2&keyword=ok')).toBe('/x?token=[redacted]&api_key=[redacted]&keyword=ok');
    expect(redactUrl('/api/grids?bbox=1,2,3,4')).toBe('/api/grids?bbox=1,2,3,4');
  });

  it('never shows a device key or a token, and does not log each position report', async () => {
    const time = Date.now() - 90_000;
    const ok = await app.inject(`/osmand?id=${worker.deviceId}&key=${worker.key}&timestamp=${time}&lat=${worker.lat}&lon=${worker.lon}`);
    expect(ok.statusCode).toBe(200);
    // a refused report is a warning worth logging, still without the key it carried
    const refused = await app.inject(`/osmand?id=${worker.deviceId}&key=not-${worker.key}&timestamp=${time + 1}&lat=${worker.lat}&lon=${worker.lon}`);
    expect(refused.statusCode).toBe(401);
    await app.inject('/api/health?token=secret-token-value');
    const log = lines.join('');
    expect(log).not.toContain(worker.key);
    expect(log).not.toContain('secret-token-value');
    expect(log).toContain('/api/health?token=[redacted]');
    expect(log).not.toMatch(/"url":"\/osmand/);
  });
});
