// Rate limits: token buckets (refill measured on an injected clock, no timing in the test), and the
// limits on the routes — per address and per device on ingest, per api_key on Open311 filing, per
// address on login — answering 429 with Retry-After, while other addresses, devices and keys go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { loadConfig, DEFAULT_RATE_LIMITS } from '../../server/config.js';
import { parseLimit, TokenBuckets } from '../../server/http/rateLimit.js';
import { createOpen311Client } from '../../server/routes/open311.js';
import { seededDatabase } from '../support/db.js';
import { deviceHeaders, workersWithPoints, type TestWorker } from '../support/fixtures.js';

describe('token buckets', () => {
  it('allow the burst, then the rate, and say how long to wait', () => {
    let now = 0;
    const b = new TokenBuckets({ rate: 2, burst: 4 }, 1000, () => now);
    expect([1, 2, 3, 4].map(() => b.take('a'))).toEqual([0, 0, 0, 0]);
    expect(b.take('a')).toBe(1); // half a second for the next token: "retry in 1 s"
    expect(b.take('b')).toBe(0); // another key has its own bucket
    now += 1000; // two tokens back
    expect(b.take('a', 2)).toBe(0);
    expect(b.take('a')).toBe(1);
    expect(b.take('c', 100)).toBe(0); // more than the burst drains a full bucket instead of never passing
    expect(b.take('c', 4)).toBe(2);
    b.refund('c', 4);
    expect(b.take('c', 4)).toBe(0);
  });

  it('keep the number of keys bounded', () => {
    let now = 0;
    const b = new TokenBuckets({ rate: 1, burst: 1 }, 100, () => now);
    for (let i = 0; i < 1000; i++) { b.take(`k${i}`); now += 1; }
    expect(b.size).toBeLessThanOrEqual(100);
  });

  it('are configured as RATE or RATE/BURST, 0 for off, with generous defaults', () => {
    expect(parseLimit('X', '100')).toEqual({ rate: 100, burst: 200 });
    expect(parseLimit('X', '100/5000')).toEqual({ rate: 100, burst: 5000 });
    expect(parseLimit('X', '0')).toBeNull();
    expect(() => parseLimit('RATE_LIMIT_LOGIN_IP', 'fast')).toThrow(/RATE_LIMIT_LOGIN_IP must be RATE or RATE\/BURST/);
    expect(loadConfig({}).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(loadConfig({ RATE_LIMIT_INGEST_DEVICE: '1/2000', RATE_LIMIT_LOGIN_IP: '0' }).rateLimits).toMatchObject({ ingestPerDevice: { rate: 1, burst: 2000 }, loginPerIp: null });
    // The simulator: 2,911 phones every 10 s from one address; a phone's buffered batch of 1,000.
    expect(DEFAULT_RATE_LIMITS.ingestPerIp!.rate).toBeGreaterThanOrEqual(2911 / 10 * 10);
    expect(DEFAULT_RATE_LIMITS.ingestPerDevice!.burst).toBeGreaterThanOrEqual(1000);
  });
});

describe('limits on the routes', () => {
  let db: Database;
  let app: FastifyInstance;
  let workers: TestWorker[];
  let apiKeys: string[];
  let clock = Date.now() - 30 * 60_000;
  const fix = (w: TestWorker) => ({ deviceId: w.deviceId, time: new Date(clock += 1000).toISOString(), lon: w.lon, lat: w.lat });

  beforeAll(async () => {
    ({ db } = await seededDatabase('gridcc_fault_ratelimit', 1000));
    app = await buildApp({
      db, live: { timers: false },
      rateLimits: { ingestPerIp: { rate: 0.001, burst: 6 }, ingestPerDevice: { rate: 0.001, burst: 3 }, open311PerKey: { rate: 0.001, burst: 2 }, loginPerIp: { rate: 0.001, burst: 3 } },
    });
    workers = await workersWithPoints(db.pool, 4, 40);
    apiKeys = [(await createOpen311Client(db.pool, `rate-a-${Date.now()}`)).apiKey, (await createOpen311Client(db.pool, `rate-b-${Date.now()}`)).apiKey];
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = (w: TestWorker, n: number, remoteAddress = '10.0.0.1') => app.inject({
    method: 'POST', url: '/api/positions', remoteAddress, headers: deviceHeaders(w), payload: Array.from({ length: n }, () => fix(w)),
  });

  it('per device: a device over its budget waits, the others go on; a refused batch costs nothing', async () => {
    const [a, b] = workers;
    expect((await post(a, 2)).statusCode).toBe(200);
    const refused = await post(a, 2);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests', field: 'deviceId' });
    expect(refused.json().message).toMatch(/too many requests from device/);
    expect((await post(a, 1)).statusCode).toBe(200); // the third position of its burst
    expect((await post(b, 3)).statusCode).toBe(200);
  });

  it('per address: ingest from one address is limited, from another not', async () => {
    const w = workers[2];
    const q = () => `/osmand?id=${w.deviceId}&lat=${w.lat}&lon=${w.lon}&timestamp=${clock += 1000}&key=${w.key}`;
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await app.inject({ url: q(), remoteAddress: '10.0.0.2' })).statusCode);
    // three positions (the device's burst), then the device, then the address (6 requests) says wait
    expect(codes).toEqual([200, 200, 200, 429, 429, 429, 429]);
    const ipRefused = await app.inject({ url: q(), remoteAddress: '10.0.0.2' });
    expect(ipRefused.statusCode).toBe(429);
    expect(ipRefused.json().message).toMatch(/from this address/);
    // Another address is not held up by this one's.
    const fresh = workers[3];
    const other = await app.inject({ url: `/osmand?id=${fresh.deviceId}&lat=${fresh.lat}&lon=${fresh.lon}&timestamp=${clock += 1000}&key=${fresh.key}`, remoteAddress: '10.0.0.3' });
    expect(other.statusCode).toBe(200);
  });

  it('per api_key on Open311 filing, in Open311\'s error format', async () => {
    const file = (key: string) => app.inject({
      method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ api_key: key, service_code: 'C01', lat: String(workers[0].lat), long: String(workers[0].lon), description: '路灯不亮' }).toString(),
    });
    expect((await file(apiKeys[0])).statusCode).not.toBe(429);
    expect((await file(apiKeys[0])).statusCode).not.toBe(429);
    const refused = await file(apiKeys[0]);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json()).toEqual([{ code: 429, description: expect.stringMatching(/too many requests with this api_key/) }]);
    expect((await file(apiKeys[1])).statusCode).not.toBe(429);
  });

  it('per address on login, before any password is hashed', async () => {
    const login = (remoteAddress: string) => app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username: 'nobody', password: 'wrong password' } });
    expect([(await login('10.0.0.4')).statusCode, (await login('10.0.0.4')).statusCode, (await login('10.0.0.4')).statusCode]).toEqual([401, 401, 401]);
    const refused = await login('10.0.0.4');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect((await login('10.0.0.5')).statusCode).toBe(401);
  });
});
