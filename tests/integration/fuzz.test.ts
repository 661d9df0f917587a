// Property-based fuzzing of every route (enumerated from the OpenAPI document): 10,000 generated
// requests, unauthenticated and as an administrator, with wrong types, missing fields, huge numbers,
// NaN strings, deep nesting, invalid and self-intersecting GeoJSON, SQL and script fragments,
// oversized and malformed bodies, bad query strings and path parameters. Properties: no answer is a
// 5xx; the server still answers /api/health and normal reads afterwards; and a refused request (or a
// read) changes nothing in the database. FUZZ_SEED=n runs another sample.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { newToken, tokenHash } from '../../server/domain/passwords.js';
import { seededDatabase } from '../support/db.js';
import { createUser } from '../support/users.js';

const RUNS = 10_000;
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_101);

let db: Database;
let app: FastifyInstance;
let adminToken: string;

interface Schema {
  type?: string | string[]; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[];
  properties?: Record<string, Schema>; required?: string[]; items?: Schema; minimum?: number; maximum?: number;
  minLength?: number; maxLength?: number; minItems?: number; maxItems?: number; format?: string;
}
interface Operation { method: string; path: string; pathParams: string[]; query: Array<{ name: string; schema: Schema }>; body?: { type: string; schema?: Schema } }

async function issueAdminToken(): Promise<string> {
  const u = await createUser(db.pool, 'admin');
  const token = newToken();
  await db.pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, label) VALUES ($1, $2, 'api', 'fuzz')`, [tokenHash(token), u.id]);
  return token;
}

beforeAll(async () => {
  ({ db } = await seededDatabase('gridcc_fault_fuzz', 1000));
  app = await buildApp({ db, live: { timers: false } });
  adminToken = await issueAdminToken();
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Every operation of the API, from its own OpenAPI document. */
async function operations(): Promise<Operation[]> {
  const res = await app.inject({ url: '/docs/json', headers: { authorization: `Bearer ${adminToken}` } });
  expect(res.statusCode).toBe(200);
  const doc = res.json() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; schema: Schema }>; requestBody?: { content: Record<string, { schema?: Schema }> } }>> };
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const type = Object.keys(content)[0];
      const form = path === '/osmand' || /^\/open311\/.*requests/.test(path);
      out.push({
        method: method.toUpperCase(), path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        body: type ? { type, schema: content[type].schema } : ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()) ? { type: form ? 'application/x-www-form-urlencoded' : 'application/json' } : undefined,
      });
    }
  }
  return out;
}

// ---- values ----
const NASTY_STRINGS = [
  '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '-1', '0', '-0', '1e309', '-1e309', '99999999999999999999999999', '9007199254740993',
  '1.5', '0x10', 'true', 'null', 'undefined', '[]', '{}', "' OR '1'='1", "1; DROP TABLE grids; --", "'); SELECT pg_sleep(5); --",
  '$1', '\\', '"', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '../../../etc/passwd', '\u0000', '\uFFFF', '\uD800',
  '网格', '🙂'.repeat(50), 'a'.repeat(5000), '2024-13-45T25:61:61Z', '0000-00-00', '2024-02-30', '-271821-04-20T00:00:00Z', '1,2,3',
  '1,2,3,4,5', '118,34,119,35', '119,35,118,34', '-200,-100,200,100', 'NaN,NaN,NaN,NaN', 'POINT(1 1)', '${jndi:ldap://x/a}',
  '__proto__', 'constructor', 'grids', 'incidents', 'C01', '320722001', 'county', 'week', 'csv', 'json', 'xml', 'html',
];
const nastyString = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) });
const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -(2 ** 63), 2 ** 31, -(2 ** 31) - 1, 1e-320, Number.MIN_VALUE, 0.1 + 0.2);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: hugeNumbers },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.integer(), nastyString), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, fc.oneof(fc.integer(), nastyString), { maxKeys: 3 }) },
);

// GeoJSON near Donghai, valid, broken and self-intersecting.
const C = [118.75, 34.52] as const;
const pt = (dx: number, dy: number) => [C[0] + dx, C[1] + dy];
const RINGS: unknown[] = [
  [pt(0, 0), pt(0.01, 0), pt(0.01, 0.01), pt(0, 0.01), pt(0, 0)],            // a valid square
  [pt(0, 0), pt(0.01, 0.01), pt(0.01, 0), pt(0, 0.01), pt(0, 0)],            // bow-tie: self-intersecting
  [pt(0, 0), pt(0.01, 0), pt(0.01, 0.01), pt(0, 0.01)],                      // not closed
  [pt(0, 0), pt(0.01, 0), pt(0, 0)],                                         // too few points
  [pt(0, 0), pt(0, 0), pt(0, 0), pt(0, 0)],                                  // zero area
  [[1e308, 1e308], [-1e308, 1e308], [0, -1e308], [1e308, 1e308]],          // huge
  [['NaN', 'NaN'], ['x', 1], [null, null], ['NaN', 'NaN']],                  // not numbers
  [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, 0, 0, 0], [0, 0, 0, 0, 0]],        // extra dimensions
  [[200, 100], [201, 100], [201, 101], [200, 100]],                          // off the globe
  [pt(0, 0), pt(5, 0), pt(5, 5), pt(0, 5), pt(0, 0)],                        // far larger than the county
  [],
];
const geometry: fc.Arbitrary<unknown> = fc.record({
  type: fc.constantFrom('Polygon', 'Polygon', 'MultiPolygon', 'Point', 'LineString', 'GeometryCollection', 'Bogus', 1, null),
  coordinates: fc.oneof(
    fc.array(fc.constantFrom(...RINGS), { minLength: 0, maxLength: 3 }),
    fc.constantFrom(...RINGS),
    fc.array(fc.array(fc.constantFrom(...RINGS), { maxLength: 2 }), { maxLength: 2 }),
    nastyValue,
  ),
}, { requiredKeys: [] });
const feature = fc.record({
  type: fc.constantFrom('Feature', 'Feature', 'feature', 'FeatureCollection'),
  geometry,
  properties: fc.oneof(fc.record({ id: fc.oneof(fc.integer({ min: 1, max: 1100 }), nastyValue), version: fc.oneof(fc.integer({ min: 1, max: 3 }), nastyValue) }, { requiredKeys: [] }), nastyValue),
}, { requiredKeys: [] });

/** Mostly valid for the schema (so requests reach the handlers), with nasty values mixed in. */
function valueFor(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validFor(s, depth) }, { weight: 1, arbitrary: nastyValue });
}
function validFor(s: Schema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return fc.oneof(nastyValue, geometry);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alts = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => valueFor(a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'integer': {
      const min = s.minimum ?? -1e6; const max = s.maximum ?? 1e6;
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), fc.constantFrom(min, max, min - 1, max + 1, 1, 42, 1076));
    }
    case 'number': {
      const min = s.minimum ?? -1e6; const max = s.maximum ?? 1e6;
      return fc.oneof(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max, C[0], C[1]));
    }
    case 'string':
      if (s.format === 'date-time' || s.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => (s.format === 'date' ? d.toISOString().slice(0, 10) : d.toISOString()));
      return fc.oneof(fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) }), fc.constantFrom(...NASTY_STRINGS));
    case 'boolean': return fc.boolean();
    case 'array': return fc.array(valueFor(s.items, depth + 1), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'object': {
      const props = s.properties ?? {};
      if (!Object.keys(props).length) return fc.oneof(geometry, feature, nastyValue);
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, /geom|geometry|line|shape/i.test(k) ? fc.oneof(geometry, valueFor(v, depth + 1)) : valueFor(v, depth + 1)])), { requiredKeys: [] });
      return record;
    }
    default: return fc.oneof(nastyValue, geometry);
  }
}

const deepNest = fc.tuple(fc.integer({ min: 200, max: 5000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));
const malformedJson = fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '\u0000', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '1e999', '-', '"', '{"a":NaN}', '[' + '9'.repeat(400) + ']');
const oversized = fc.constantFrom(70 * 1024, 600 * 1024, 2.5 * 1024 * 1024).map((n) => JSON.stringify({ description: 'x'.repeat(n) }));

/** encodeURIComponent, except that a lone surrogate (which it refuses) is sent as its raw bytes. */
const enc = (v: string) => { try { return encodeURIComponent(v); } catch { return '%ED%A0%80'; } };

const PATH_VALUES: Record<string, string[]> = {
  file: ['grids.geojson', 'grids.csv', 'incidents.csv', 'incidents.geojson', 'grids.gpkg', 'x.json', 'x.xml', '1.mvt', '1.pbf', 'C01.json', '1.json'],
  layer: ['grids', 'regions', 'cameras', 'incidents', 'nope'], z: ['0', '8', '12', '15', '25', '-1'], x: ['0', '1', '1700', '4095', '99999'],
  tilejson: ['grids.json', 'nope.json', 'grids'], collectionId: ['grids', 'regions', 'villages', 'townships', 'incidents', 'cameras', 'nope'],
  featureId: ['1', '320722001', '0', 'x'], ref: ['1', 'abc'], deviceId: ['DH00001', 'nope'], id: ['1', '2', '42', '1076', '0'],
};
function pathValue(name: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...(PATH_VALUES[name] ?? ['1'])) },
    { weight: 2, arbitrary: nastyString.map((v) => enc(v).slice(0, 300) || '%20') },
    { weight: 1, arbitrary: fc.constantFrom('%00', '%zz', '..%2f..%2fetc', '%ff%fe', '1%20OR%201=1', '-1', '1.5', '1e3') },
  );
}

function queryString(op: Operation): fc.Arbitrary<string> {
  const known = fc.record(Object.fromEntries(op.query.map((q) => [q.name, valueFor(q.schema)])), { requiredKeys: [] })
    .map((r) => Object.entries(r).map(([k, v]) => `${enc(k)}=${enc(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&'));
  const junk = fc.constantFrom('&&==&', 'a[b][c]=1&a=1&a=2', '%zz=1', 'bbox=1,2,3&bbox=4,5,6,7', 'limit=-1&limit=1e9', '=x', '&', 'from=2030-01-01&to=2000-01-01', 'f=json&f=html', 'q=' + '%25'.repeat(500));
  return fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant('') });
}

interface Fuzzed { op: Operation; opts: InjectOptions; write: boolean }

function requestFor(op: Operation): fc.Arbitrary<Fuzzed> {
  const path = fc.tuple(...op.pathParams.map(pathValue)).map((vals) => op.pathParams.reduce((p, name, i) => p.replace(`{${name}}`, vals[i]), op.path));
  const jsonBody = fc.oneof(
    { weight: 5, arbitrary: valueFor(op.body?.schema).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.oneof(geometry, feature, fc.record({ type: fc.constant('FeatureCollection'), features: fc.array(feature, { maxLength: 3 }) })).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deepNest },
    { weight: 1, arbitrary: malformedJson },
    { weight: 1, arbitrary: oversized },
  );
  const formBody = fc.dictionary(fc.constantFrom('id', 'deviceid', 'lat', 'lon', 'timestamp', 'speed', 'location', 'api_key', 'service_code', 'description', 'rating', 'key', 'batt', 'x'), nastyString.map(String), { maxKeys: 8 })
    .map((r) => Object.entries(r).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constant(op.body?.type ?? 'application/json'), op.body?.type === 'application/x-www-form-urlencoded' ? formBody : jsonBody) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''), fc.oneof(jsonBody, formBody)) },
  );
  const withBody = op.body !== undefined || op.method !== 'GET';
  return fc.record({
    path, query: queryString(op),
    body: withBody ? body : fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: body }),
    who: fc.constantFrom('none', 'admin', 'admin', 'garbage'),
    wrongMethod: fc.oneof({ weight: 19, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PATCH', 'PUT', 'OPTIONS', 'HEAD') }),
  }).map(({ path, query, body, who, wrongMethod }) => {
    const method = (wrongMethod ?? op.method) as InjectOptions['method'];
    const headers: Record<string, string> = {};
    // Logging out would end the token the rest of the run uses.
    if (who === 'admin' && op.path !== '/api/auth/logout') headers.authorization = `Bearer ${adminToken}`;
    if (who === 'garbage') headers.cookie = `gridcc_session=${'x'.repeat(64)}`;
    if (body && body[0]) headers['content-type'] = body[0];
    return {
      op, write: method !== 'GET' && method !== 'HEAD',
      opts: { method, url: query ? `${path}?${query}` : path, headers, ...(body && method !== 'GET' && method !== 'HEAD' ? { payload: body[1] } : {}) },
    };
  });
}

/** The next transaction id: it moves only when a transaction wrote something. */
async function nextXid(): Promise<string> {
  return (await db.pool.query(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`)).rows[0].x;
}

/** Row counts and revisions of the tables a request could change. */
async function snapshot(): Promise<string> {
  const tables = ['audit_log', 'auth_tokens', 'cameras', 'departments', 'grid_change_sets', 'grid_versions', 'grids', 'incident_categories',
    'incident_contacts', 'incident_events', 'incidents', 'open311_clients', 'patrol_visits', 'positions', 'regions', 'users', 'worker_events', 'worker_status', 'workers'];
  const { rows: [r] } = await db.pool.query(`SELECT json_build_object(${tables.map((t) => `'${t}', (SELECT count(*) FROM ${t})`).join(', ')},
    'revisions', (SELECT json_object_agg(name, rev ORDER BY name) FROM data_revisions),
    'grids_versions', (SELECT sum(version) FROM grids), 'incidents_updated', (SELECT max(coalesce(updated_at, reported_at)) FROM incidents),
    'users_state', (SELECT string_agg(id || role || active, ',' ORDER BY id) FROM users),
    'tokens_revoked', (SELECT count(*) FROM auth_tokens WHERE revoked_at IS NOT NULL))::text AS s`);
  return r.s;
}

describe('fuzzing every route', () => {
  it(`answers ${RUNS.toLocaleString('en')} malformed requests without a 5xx and changes nothing when it refuses`, { timeout: 300_000 }, async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(50);
    // Routes that take nothing (whole-county reads) are drawn less often: nothing about them to vary.
    const pick = fc.oneof(...ops.map((op) => ({ weight: op.pathParams.length || op.query.length || op.body ? 4 : 1, arbitrary: fc.constant(op) })));
    const requests = fc.sample(pick.chain(requestFor), { numRuns: RUNS, seed: SEED });
    const before = await app.inject({ url: '/api/regions', headers: { authorization: `Bearer ${adminToken}` } });
    expect(before.statusCode).toBe(200);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const perRoute = new Map<string, number>();
    // Which requests wrote: the next transaction id moves only when a transaction changed something
    // (cheap to ask after every request). When it moved, the tables are compared with how they were
    // after the last write that was allowed: a refused request or a read must have left them as they were.
    let snap = await snapshot();
    let xid = await nextXid();
    let covered = 0;
    for (const r of requests) {
      // The token a request carries is the current one (issued again when a fuzzed admin call ended it).
      if (r.opts.headers && 'authorization' in r.opts.headers) (r.opts.headers as Record<string, string>).authorization = `Bearer ${adminToken}`;
      const res = await app.inject(r.opts);
      const what = `${res.statusCode} ${r.opts.method} ${String(r.opts.url).slice(0, 200)} body=${String(r.opts.payload ?? '').slice(0, 300)}`;
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      perRoute.set(`${r.op.method} ${r.op.path}`, (perRoute.get(`${r.op.method} ${r.op.path}`) ?? 0) + 1);
      if (res.statusCode >= 500) failures.push(`${what} → ${res.body.slice(0, 200)}`);
      const allowed = r.write && res.statusCode < 300;
      if (!allowed) covered++;
      const next = await nextXid();
      if (next === xid) continue;
      xid = next;
      const now = await snapshot();
      if (!allowed) expect(now, `refused or read, yet the database changed: ${what}`).toBe(snap);
      snap = now;
      if ((await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${adminToken}` } })).statusCode !== 200) adminToken = await issueAdminToken();
    }
    console.log(`fuzz: ${requests.length} requests over ${perRoute.size} routes (seed ${SEED}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ${covered} refused requests and reads shown to change nothing`);
    expect(failures).toEqual([]);
    expect(perRoute.size).toBe(ops.length);

    // Still healthy, and normal reads answer as before.
    expect((await app.inject('/api/health')).statusCode).toBe(200);
    const after = await app.inject({ url: '/api/regions', headers: { authorization: `Bearer ${adminToken}` } });
    expect(after.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/grids', headers: { authorization: `Bearer ${adminToken}` } })).statusCode).toBe(200);
  });
});
