// Security headers on every response (success, 404, 400, 500, the client's files), HSTS only behind
// TLS, body limits by kind of route (413 naming the limit), errors that never carry a stack trace or
// SQL, and the built client running in headless Chromium without a single CSP violation.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { chromium } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import { ROOT } from '../../server/config.js';
import type { Database } from '../../server/db/pool.js';
import { newToken, tokenHash } from '../../server/domain/passwords.js';
import { SESSION_COOKIE } from '../../server/plugins/auth.js';
import { BODY_LIMITS } from '../../server/http/bodyLimits.js';
import { seededTestDatabase } from '../support/db.js';
import { createUser } from '../support/users.js';

const CLIENT_DIR = path.join(ROOT, 'dist/client');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let db: Database;
let app: FastifyInstance;
let session: string;
let admin: { authorization: string };
/** app.inject as an administrator (reads and writes may need a login). */
const inject = (opts: string | { method?: 'GET' | 'POST'; url: string; headers?: Record<string, string>; payload?: string | object }) => {
  const o = typeof opts === 'string' ? { url: opts } : opts;
  return app.inject({ ...o, headers: { ...admin, ...o.headers } });
};

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, clientDir: CLIENT_DIR, live: { timers: false } });
  // Routes that fail on purpose, as a bug would.
  app.get('/api/__fail/sql', async () => db.pool.query(`SELECT secret_column FROM no_such_table_for_test WHERE id = 'x'`));
  app.get('/api/__fail/throw', async () => {
    throw new Error('secret detail: password=hunter2 at /work/main/server/routes/secret.ts:12');
  });
  app.get('/api/__fail/type', async () => (null as unknown as { x: number }).x);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const viewer = await createUser(db.pool, 'viewer');
  session = newToken();
  await db.pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, expires_at) VALUES ($1, $2, 'session', now() + interval '1 hour')`, [tokenHash(session), viewer.id]);
  const administrator = await createUser(db.pool, 'admin');
  const token = newToken();
  await db.pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, expires_at) VALUES ($1, $2, 'api', now() + interval '1 hour')`, [tokenHash(token), administrator.id]);
  admin = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

function expectSecurityHeaders(res: LightMyRequestResponse, what: string) {
  const h = res.headers;
  expect(h['content-security-policy'], what).toMatch(/default-src 'self'/);
  expect(h['content-security-policy'], what).toMatch(/frame-ancestors 'none'/);
  expect(h['content-security-policy'], what).toMatch(/object-src 'none'/);
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
  expect(h['x-frame-options'], what).toBe('DENY');
  expect(h['strict-transport-security'], what).toBeUndefined(); // plain http
}

describe('security headers', () => {
  it('are on successes, 404s, validation errors, failures and the client files', async () => {
    const cases: Array<[string, number]> = [
      ['/api/health', 200], ['/api/no-such-thing', 404], ['/api/grids/abc', 400], ['/api/__fail/throw', 500], ['/docs/json', 200],
    ];
    if (existsSync(path.join(CLIENT_DIR, 'index.html'))) cases.push(['/', 200], ['/screen', 200]);
    for (const [url, status] of cases) {
      const res = await inject(url);
      expect(res.statusCode, url).toBe(status);
      expectSecurityHeaders(res, url);
    }
  });

  it('answer phones posting positions with nosniff only (nothing they get is rendered)', async () => {
    for (const res of [await app.inject('/osmand?id=nosuchphone&lat=34.5&lon=118.7'), await app.inject({ method: 'POST', url: '/api/positions', payload: [{}] })]) {
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBeUndefined();
    }
  });

  it('send HSTS (and upgrade-insecure-requests) only over TLS', async () => {
    const proxied = await buildApp({ db, live: { timers: false }, trustProxy: '127.0.0.1' });
    try {
      const tls = await proxied.inject({ url: '/api/health', headers: { ...admin, 'x-forwarded-proto': 'https' }, remoteAddress: '127.0.0.1' });
      expect(tls.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(tls.headers['content-security-policy']).toMatch(/upgrade-insecure-requests/);
      const plain = await proxied.inject({ url: '/api/health', headers: admin, remoteAddress: '127.0.0.1' });
      expect(plain.headers['strict-transport-security']).toBeUndefined();
      // Only the trusted proxy may say the request came over TLS.
      const spoofed = await proxied.inject({ url: '/api/health', headers: { ...admin, 'x-forwarded-proto': 'https' }, remoteAddress: '10.1.2.3' });
      expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });
});

describe('body limits', () => {
  const big = (bytes: number) => JSON.stringify({ category: 'C01', source: 'command_center', lon: 118.7, lat: 34.5, description: 'x'.repeat(bytes) });

  it('refuse a JSON write over its small limit with 413 naming the body and the limit', async () => {
    const res = await inject({ method: 'POST', url: '/api/incidents', headers: { 'content-type': 'application/json' }, payload: big(BODY_LIMITS.default + 1) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ statusCode: 413, error: 'Payload Too Large', field: 'body' });
    expect(res.json().message).toMatch(/body: larger than the 64 KB allowed for POST \/api\/incidents/);
    expectSecurityHeaders(res, '413');
  });

  it('give a position batch and grid geometry more room, and the GeoJSON import its 20 MB', async () => {
    const positions = JSON.stringify(Array.from({ length: 1000 }, (_, i) => ({
      deviceId: `DEV-${String(i).padStart(8, '0')}`, time: new Date(Date.now() - 60_000 + i).toISOString(), lon: 118.712345, lat: 34.512345,
      speed: 1.23, heading: 123.4, accuracy: 8.5, battery: 77, key: 'k'.repeat(43),
    })));
    expect(positions.length).toBeGreaterThan(BODY_LIMITS.default);
    const batch = await inject({ method: 'POST', url: '/api/positions', headers: { 'content-type': 'application/json' }, payload: positions });
    expect(batch.statusCode).not.toBe(413);
    const tooMany = await inject({ method: 'POST', url: '/api/positions', headers: { 'content-type': 'application/json' }, payload: `[${'0,'.repeat(BODY_LIMITS.positions / 2)}0]` });
    expect(tooMany.statusCode).toBe(413);
    const edit = await inject({ method: 'POST', url: '/api/grids/changes', headers: { 'content-type': 'application/json' }, payload: { reason: 'x'.repeat(BODY_LIMITS.default * 4) } });
    expect(edit.statusCode).not.toBe(413);
    const importBody = JSON.stringify({ type: 'FeatureCollection', features: [], pad: 'x'.repeat(BODY_LIMITS.gridEdits * 2) });
    const imported = await inject({ method: 'POST', url: '/api/grids/import?reason=test', headers: { 'content-type': 'application/json' }, payload: importBody });
    expect(imported.statusCode).not.toBe(413);
  });
});

describe('error responses', () => {
  it('never carry a stack trace, SQL or the failing detail', async () => {
    for (const url of ['/api/__fail/sql', '/api/__fail/throw', '/api/__fail/type']) {
      const res = await inject(url);
      expect(res.statusCode, url).toBe(500);
      expect(res.json(), url).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    }
    // Bad JSON names the body without echoing a stack.
    const bad = await inject({ method: 'POST', url: '/api/incidents', headers: { 'content-type': 'application/json' }, payload: '{"category": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^body: not valid JSON/);
    expect(bad.body).not.toMatch(/\n\s+at /);
  });
});

describe('the built client under the policy', () => {
  it.skipIf(!existsSync(path.join(CLIENT_DIR, 'index.html')) || !existsSync(CHROMIUM))('runs in headless Chromium without a CSP violation', { timeout: 240_000 }, async () => {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const profile = mkdtempSync(path.join(tmpdir(), 'gridcc-csp-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 800 },
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
    });
    try {
      await context.addCookies([{ name: SESSION_COOKIE, value: session, url: base, httpOnly: true, sameSite: 'Lax' }]);
      // Violations as the page sees them, and as the console reports them.
      await context.addInitScript(() => {
        const w = window as unknown as { __csp: string[] };
        w.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      });
      const page = context.pages()[0] ?? await context.newPage();
      const console: string[] = [];
      const errors: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
        else if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      const response = await page.goto(`${base}/`);
      expect(response?.headers()['content-security-policy']).toMatch(/worker-src 'self' blob:/);
      const outcome = await page.waitForFunction(
        () => ((window as unknown as { __gridcc?: { isReady?: boolean } }).__gridcc?.isReady ? 'ready' : (document.querySelector('.app-status--error')?.textContent ?? null)),
        undefined, { timeout: 120_000, polling: 250 },
      ).then((h) => h.jsonValue(), async (e: Error) => `${e.message}; violations: ${(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).join(' | ')}; console: ${console.join(' | ')}; errors: ${errors.join(' | ')}`);
      expect(outcome).toBe('ready');
      // The wall screen and the API documentation too.
      for (const url of ['/screen', '/docs']) {
        await page.goto(`${base}${url}`);
        await page.waitForLoadState('networkidle');
      }
      const seen = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      expect([...seen, ...console]).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
