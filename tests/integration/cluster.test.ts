// Two server processes on loopback sharing live updates through PostgreSQL
// (@socket.io/postgres-adapter): a position posted to one reaches a client connected to the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, seededTestDatabase } from '../support/db.js';
import { startServer, type RunningServer } from '../support/server.js';
import { workersWithPoints, type TestWorker } from '../support/fixtures.js';
import { liveClient, type LiveClient } from '../support/live.js';
import { userWithToken } from '../support/auth.js';

let servers: RunningServer[] = [];
let client: LiveClient | undefined;
let worker: TestWorker;
let token: string;

beforeAll(async () => {
  const db = await seededTestDatabase();
  [worker] = await workersWithPoints(db.pool, 1, 500);
  token = (await userWithToken(db.pool)).token;
  await db.close();
  const env = { DATABASE_URL: databaseUrl('gridcc_test'), LIVE_CLUSTER: 'postgres', CLIENT_DIR: '/nonexistent', SIMULATE: '0' };
  servers = await Promise.all([startServer(env), startServer(env)]);
}, 120_000);
afterAll(async () => {
  client?.close();
  await Promise.all(servers.map((s) => s.stop()));
});

describe('several server processes', () => {
  it('a position posted to server A reaches a client of server B', async () => {
    const [a, b] = servers;
    client = await liveClient(b.url, token);
    expect((await client.subscribe({ scope: 'county' })).ok).toBe(true);
    const time = new Date().toISOString();
    const res = await fetch(`${a.url}/osmand?id=${worker.deviceId}&key=${worker.key}&timestamp=${encodeURIComponent(time)}&lat=${worker.lat}&lon=${worker.lon}&speed=2`);
    expect(res.status).toBe(200);
    const m = await client.waitFor((x) => x.workers.some((w) => w[0] === worker.id && w[3] === new Date(time).getTime()), 10_000);
    expect(m.workers.find((w) => w[0] === worker.id)![1]).toBeCloseTo(worker.lon, 5);
  }, 30_000);
});
