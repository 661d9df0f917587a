// The operator's incident list (GET /api/incidents/list) against the real PostGIS: totals equal SQL
// counts, the urgency order, every filter, paging, the text search, a new report showing up at the
// top, and bad input as a 400 naming the field. The incidents made here are deleted afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import type { IncidentList, IncidentListItem } from '../../server/schemas/incidentsList.js';
import { seededTestDatabase } from '../support/db.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

let db: Database;
let app: FastifyInstance;
const created: number[] = [];
let viewer = '';
let dispatcher = '';
const DAY = 86_400_000;

async function login(role: 'viewer' | 'dispatcher') {
  const u = await createUser(db.pool, role);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0];
}

const list = async (query: string): Promise<IncidentList> => {
  const res = await app.inject({ url: `/api/incidents/list?${query}`, headers: { cookie: viewer } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const count = async (where: string, params: unknown[]) =>
  (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`, params)).rows[0].n;
const OVERDUE = `i.due_at < now() AND i.status IN ('reported', 'accepted', 'dispatched', 'in_progress', 'returned')`;

/** The urgency order as a comparable key. */
const key = (i: IncidentListItem) => [
  i.overdue ? 0 : 1,
  i.status === 'closed' || i.status === 'void' ? 1 : 0,
  i.priority,
  i.dueAt ? Date.parse(i.dueAt) : Number.MAX_SAFE_INTEGER,
  -Date.parse(i.reportedAt),
  -i.id,
];
const inOrder = (a: number[], b: number[]) => {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] < b[k];
  return true;
};

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  viewer = await login('viewer');
  dispatcher = await login('dispatcher');
});

afterAll(async () => {
  if (created.length) await db.pool.query('DELETE FROM incidents WHERE id = ANY($1::bigint[])', [created]);
  await app?.close();
  await db?.close();
});

describe('incident list', () => {
  it('counts the last 30 days by default and sorts by urgency: overdue, open, priority, deadline', async () => {
    const now = Date.now();
    const page = await list('limit=200');
    const n = await count(`i.reported_at >= $1 AND i.reported_at < $2`, [new Date(now - 30 * DAY - 60_000), new Date(now + 60_000)]);
    // The window ends at the request's now; allow for incidents that changed the window edge meanwhile.
    expect(Math.abs(page.total - n)).toBeLessThanOrEqual(5);
    expect(page.items).toHaveLength(200);
    expect(page).toMatchObject({ offset: 0, limit: 200 });
    for (let k = 1; k < page.items.length; k++) expect(inOrder(key(page.items[k - 1]), key(page.items[k])), `item ${k}`).toBe(true);
    // The seed has overdue incidents in the last 30 days: they come first.
    expect(page.items[0].overdue).toBe(true);
    expect(page.items[0]).toMatchObject({ lon: expect.any(Number), lat: expect.any(Number), township: expect.any(String), code: expect.stringMatching(/^SJ/) });
  });

  it('filters by state, category, source, township and overdue, each total equal to the SQL count', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 7 * DAY);
    const win = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const base = [`i.reported_at >= $1 AND i.reported_at < $2`];
    const p = [from, to];
    const { rows: [t] } = await db.pool.query(`SELECT t.code, t.id FROM regions t WHERE kind = 'township' ORDER BY code LIMIT 1`);
    const cases: Array<[string, string, unknown[]]> = [
      ['status=dispatched,in_progress', `i.status = ANY($3::text[])`, [['dispatched', 'in_progress']]],
      ['status=open', `i.status NOT IN ('closed', 'void')`, []],
      [`category=${encodeURIComponent('环境卫生,占道经营')}`, `i.category = ANY($3::text[])`, [['环境卫生', '占道经营']]],
      ['source=hotline', `i.source = 'hotline'`, []],
      [`township=${t.code}`, `i.township_id = $3`, [t.id]],
      ['overdue=true', OVERDUE, []],
      ['overdue=false', `NOT coalesce(${OVERDUE}, false)`, []],
      ['overdue=true&source=grid_worker', `${OVERDUE} AND i.source = 'grid_worker'`, []],
    ];
    for (const [query, where, extra] of cases) {
      const page = await list(`${win}&${query}&limit=100`);
      expect(page.total, query).toBe(await count([...base, where].join(' AND '), [...p, ...extra]));
      expect(page.total, query).toBeGreaterThan(0);
    }
    const overdue = await list(`${win}&overdue=true&limit=200`);
    expect(overdue.items.every((i) => i.overdue && ['reported', 'accepted', 'dispatched', 'in_progress', 'returned'].includes(i.status))).toBe(true);
    const town = await list(`${win}&township=${t.code}&limit=200`);
    expect(town.items.every((i) => i.townshipCode === t.code)).toBe(true);
  });

  it('pages without gaps or repeats; newest-first order on request', async () => {
    const win = `from=${new Date(Date.now() - 3 * DAY).toISOString()}&to=${new Date().toISOString()}`;
    const all = await list(`${win}&limit=60`);
    const a = await list(`${win}&limit=30&offset=0`);
    const b = await list(`${win}&limit=30&offset=30`);
    expect([...a.items, ...b.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
    const newest = await list(`${win}&sort=newest&limit=100`);
    const times = newest.items.map((i) => i.reportedAt);
    expect([...times].sort().reverse()).toEqual(times);
    const beyond = await list(`${win}&offset=100000`);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(all.total);
  });

  it('finds an incident by the start of its code and by words of its description; a new report is at the top', async () => {
    const { rows: [g] } = await db.pool.query(`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids ORDER BY id LIMIT 1`);
    const res = await app.inject({
      method: 'POST', url: '/api/incidents', headers: { cookie: dispatcher },
      payload: { category: '防汛', source: 'command_center', description: '列表测试：低洼路段积水 50% 深', lon: g.lon, lat: g.lat, priority: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const incident = res.json().incident;
    created.push(incident.id);
    const byCode = await list(`q=${incident.code.toLowerCase()}`);
    expect(byCode.items.map((i) => i.id)).toEqual([incident.id]);
    const byText = await list(`q=${encodeURIComponent('积水 50%')}`);
    expect(byText.items.map((i) => i.id)).toContain(incident.id);
    // `%` is matched literally, not as a wildcard.
    expect((await list(`q=${encodeURIComponent('积水 5%深')}`)).total).toBe(0);
    const newest = await list('sort=newest&limit=5');
    expect(newest.items[0].id).toBe(incident.id);
    expect(newest.items[0]).toMatchObject({ status: 'reported', priority: 1, source: 'command_center', overdue: false, category: '防汛' });
  });

  it('lists the departments an incident can be dispatched to', async () => {
    const res = await app.inject({ url: '/api/incidents/departments', headers: { cookie: viewer } });
    expect(res.statusCode).toBe(200);
    const deps = res.json();
    expect(deps).toHaveLength((await db.pool.query('SELECT id FROM departments')).rowCount!);
    expect(deps[0]).toMatchObject({ id: expect.any(Number), code: expect.any(String), name: expect.any(String), kind: expect.any(String) });
  });

  it.each([
    ['status=unknown', 'status'],
    ['source=fax', 'source'],
    ['overdue=maybe', 'overdue'],
    ['limit=1000', 'limit'],
    ['limit=0', 'limit'],
    ['offset=-1', 'offset'],
    ['sort=random', 'sort'],
    ['township=abc', 'township'],
    ['from=yesterday', 'from'],
    [`from=${new Date().toISOString()}&to=${new Date(Date.now() - DAY).toISOString()}`, 'from'],
    ['q=%20%20', 'q'],
    [`q=${'x'.repeat(61)}`, 'q'],
  ])('%s is a 400 naming %s', async (query, field) => {
    const res = await app.inject({ url: `/api/incidents/list?${query}`, headers: { cookie: viewer } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().field).toBe(field);
  });
});
