// Personal data by need to know: a citizen's contact (given through the 12345 hotline) and the grid
// workers' phone numbers are shown in full to administrators and to the dispatchers responsible for
// the place, masked (138****1234) to everyone else, and never to anyone not logged in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { maskEmail, maskName, maskPhone } from '../../server/domain/masking.js';
import { createOpen311Client } from '../../server/routes/open311.js';
import { seededTestDatabase } from '../support/db.js';
import { userWithToken } from '../support/auth.js';

const TOWNSHIP = '320722001';
const OTHER = '320722002';

let db: Database;
let app: FastifyInstance;
let incidentId: number;
let grid: { id: number; phones: string[] };
type Who = 'admin' | 'countyDispatcher' | 'dispatcherIn' | 'dispatcherOut' | 'viewer' | 'screen' | 'editor';
const headers = {} as Record<Who, Record<string, string>>;
const FULL: Who[] = ['admin', 'countyDispatcher', 'dispatcherIn'];
const MASKED: Who[] = ['dispatcherOut', 'viewer', 'screen', 'editor'];
const CONTACT = { first_name: '小明', last_name: '王', phone: '13812345678', email: 'wang.xm@example.cn' };

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  headers.admin = (await userWithToken(db.pool, 'admin')).headers;
  headers.countyDispatcher = (await userWithToken(db.pool, 'dispatcher')).headers;
  headers.dispatcherIn = (await userWithToken(db.pool, 'dispatcher', TOWNSHIP)).headers;
  headers.dispatcherOut = (await userWithToken(db.pool, 'dispatcher', OTHER)).headers;
  headers.viewer = (await userWithToken(db.pool, 'viewer')).headers;
  headers.screen = { authorization: `Bearer ${(await userWithToken(db.pool, 'viewer', undefined, 'screen')).token}` };
  headers.editor = (await userWithToken(db.pool, 'editor')).headers;

  const { rows: [g] } = await db.pool.query(`
    SELECT g.id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat,
           (SELECT array_agg(w.phone ORDER BY w.id) FROM workers w WHERE w.grid_id = g.id AND w.active) AS phones
    FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
    WHERE t.code = $1 AND EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id AND w.active) ORDER BY g.id LIMIT 1`, [TOWNSHIP]);
  grid = { id: g.id, phones: g.phones };
  const { apiKey } = await createOpen311Client(db.pool, `12345-masking-${Date.now().toString(36)}`);
  const res = await app.inject({
    method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ api_key: apiKey, service_code: 'C01', description: '脱敏测试', lat: String(g.lat), long: String(g.lon), ...CONTACT }).toString(),
  });
  expect(res.statusCode).toBe(201);
  const code = res.json()[0].service_request_id;
  incidentId = Number((await db.pool.query('SELECT id FROM incidents WHERE code = $1', [code])).rows[0].id);
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('masking helpers', () => {
  it('keep enough to recognise, not to use', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskName('王小明')).toBe('王**');
    expect(maskEmail('wang.xm@example.cn')).toBe('w***@example.cn');
    expect(maskPhone(null)).toBeNull();
  });
});

describe("a citizen's contact on the incident", () => {
  const detail = async (who: Who) => {
    const res = await app.inject({ url: `/api/incidents/${incidentId}`, headers: headers[who] });
    expect(res.statusCode, who).toBe(200);
    return res.json().contact;
  };

  it('is in full for administrators and the dispatchers responsible for the place', async () => {
    for (const who of FULL) expect(await detail(who), who).toEqual({ name: '王小明', phone: '13812345678', email: 'wang.xm@example.cn', masked: false });
  });

  it('is masked for viewers, the wall screen, editors and dispatchers of other townships', async () => {
    for (const who of MASKED) expect(await detail(who), who).toEqual({ name: '王**', phone: '138****5678', email: 'w***@example.cn', masked: true });
  });

  it('never goes out without a login, nor through the Open311 interface', async () => {
    const anon = await app.inject(`/api/incidents/${incidentId}`);
    expect(anon.statusCode).toBe(401);
    expect(anon.body).not.toContain('5678');
    const code = (await db.pool.query('SELECT code FROM incidents WHERE id = $1', [incidentId])).rows[0].code;
    const open311 = await app.inject({ url: `/open311/v2/requests/${code}.json`, headers: headers.admin });
    expect(open311.statusCode).toBe(200);
    expect(open311.body).not.toMatch(/13812345678|138\*|wang/);
  });
});

describe("grid workers' phone numbers", () => {
  const phones = async (who: Who) => {
    const res = await app.inject({ url: `/api/grids/${grid.id}`, headers: headers[who] });
    expect(res.statusCode, who).toBe(200);
    return res.json().workers.map((w: { phone: string }) => w.phone);
  };

  it('are in full for administrators and the responsible dispatchers, masked for everyone else', async () => {
    const expectedFull = [...grid.phones].sort();
    for (const who of FULL) expect((await phones(who)).sort(), who).toEqual(expectedFull);
    for (const who of MASKED) {
      const got = await phones(who);
      expect(got.length, who).toBe(grid.phones.length);
      for (const p of got) expect(p, who).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(got.sort(), who).toEqual(grid.phones.map(maskPhone).sort());
    }
    expect((await app.inject(`/api/grids/${grid.id}`)).statusCode).toBe(401);
  });
});
