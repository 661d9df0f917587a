// Report figures checked against values computed by hand on a small fixture in March 2012 (a period
// the seed never touches). The fixture is inserted with explicit timestamps and deleted afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { periodDays } from '../../server/routes/reports.js';
import { seededTestDatabase } from '../support/db.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

let db: Database;
let app: FastifyInstance;
let cookie: string;
let ids: number[] = [];
let gridA: { id: number; village_id: number; township_id: number; township: string };
let gridB: typeof gridA;
let d02: number;

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  const u = await createUser(db.pool, 'viewer');
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: TEST_PASSWORD } });
  cookie = String(res.headers['set-cookie']).split(';')[0];
  const { rows } = await db.pool.query(`
    SELECT DISTINCT ON (t.id) g.id, g.village_id, t.id AS township_id, t.code AS township
    FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id ORDER BY t.id DESC, g.id LIMIT 2`);
  [gridA, gridB] = rows;
  d02 = (await db.pool.query(`SELECT id FROM departments WHERE code = 'D02'`)).rows[0].id;
  const tag = `RPT${Date.now().toString(36)}`;
  // [n, grid, status, reported (local +08), closed, rating, return_count, due_at, department]
  const fixture: [number, typeof gridA, string, string, string | null, number | null, number, string | null, number | null][] = [
    [1, gridA, 'closed', '2012-03-05 10:00', '2012-03-05 20:00', 5, 0, null, d02],
    [2, gridA, 'closed', '2012-03-07 09:00', '2012-03-09 09:00', 3, 1, null, d02],
    [3, gridA, 'void', '2012-03-12 12:00', '2012-03-12 12:30', null, 0, null, null],
    [4, gridA, 'in_progress', '2012-03-20 08:00', null, null, 0, '2012-03-21 08:00', null],
    [5, gridA, 'closed', '2012-03-31 23:30', '2012-04-01 09:30', null, 0, null, null],
    [6, gridA, 'closed', '2012-04-01 00:10', '2012-04-01 02:10', 1, 0, null, null],
    [7, gridB, 'returned', '2012-03-15 10:00', null, null, 0, null, null],
    [8, gridA, 'closed', '2012-02-29 23:59', '2012-03-01 01:59', 4, 0, null, null],
  ];
  for (const [n, g, status, rep, closed, rating, ret, due, dep] of fixture) {
    const { rows: [r] } = await db.pool.query(`
      INSERT INTO incidents (code, category, source, status, priority, description, geom, grid_id, village_id, township_id, department_id,
                             reported_at, closed_at, rating, return_count, due_at)
      VALUES ($1, '环境卫生', 'hotline', $2, 3, 'report fixture', ST_SetSRID(ST_MakePoint(118.7, 34.5), 4326), $3, $4, $5, $6,
              ($7 || '+08')::timestamptz, ($8 || '+08')::timestamptz, $9, $10, ($11 || '+08')::timestamptz) RETURNING id`,
    [`${tag}-${n}`, status, g.id, g.village_id, g.township_id, dep, rep, closed, rating, ret, due]);
    ids.push(Number(r.id));
  }
});

afterAll(async () => {
  if (ids.length) await db.pool.query('DELETE FROM incidents WHERE id = ANY($1::bigint[])', [ids]);
  ids = [];
  await app?.close();
  await db?.close();
});

const get = (qs: string) => app.inject({ url: `/api/reports?${qs}`, headers: { cookie } });

describe('periods', () => {
  it('run Monday to Sunday, calendar month and quarter', () => {
    expect(periodDays('day', '2012-03-07')).toEqual({ firstDay: '2012-03-07', lastDay: '2012-03-07' });
    expect(periodDays('week', '2012-03-07')).toEqual({ firstDay: '2012-03-05', lastDay: '2012-03-11' });
    expect(periodDays('week', '2012-03-11')).toEqual({ firstDay: '2012-03-05', lastDay: '2012-03-11' });
    expect(periodDays('month', '2012-02-10')).toEqual({ firstDay: '2012-02-01', lastDay: '2012-02-29' });
    expect(periodDays('quarter', '2012-11-30')).toEqual({ firstDay: '2012-10-01', lastDay: '2012-12-31' });
  });
});

describe('GET /api/reports', () => {
  it('gives the hand-computed monthly figures per township and in total', async () => {
    const res = await get('period=month&date=2012-03-15&by=township');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ period: 'month', by: 'township', firstDay: '2012-03-01', lastDay: '2012-03-31', from: '2012-02-29T16:00:00.000Z', to: '2012-03-31T16:00:00.000Z' });
    const a = r.rows.find((x: { unit: { id: number } }) => x.unit.id === gridA.township_id);
    // #1 10 h, #2 48 h, #5 10 h closed; #3 void; #4 overdue; #2 returned; ratings 5 and 3
    expect(a).toMatchObject({ reported: 5, void: 1, closed: 3, closureRate: 0.75, avgHoursToClose: 22.67, p90HoursToClose: 40.4, overdue: 1, returned: 1, rated: 2, satisfaction: 4 });
    expect(a.unit.code).toBe(gridA.township);
    const b = r.rows.find((x: { unit: { id: number } }) => x.unit.id === gridB.township_id);
    expect(b).toMatchObject({ reported: 1, void: 0, closed: 0, closureRate: 0, avgHoursToClose: null, p90HoursToClose: null, overdue: 0, returned: 1, rated: 0, satisfaction: null });
    expect(r.total).toEqual({ reported: 6, void: 1, closed: 3, closureRate: 0.6, avgHoursToClose: 22.67, p90HoursToClose: 40.4, overdue: 1, returned: 2, rated: 2, satisfaction: 4 });
    // every township has a row, with zeros where nothing happened
    expect(r.rows).toHaveLength(21);
    expect(r.rows.filter((x: { reported: number }) => x.reported === 0)).toHaveLength(19);
  });

  it('counts by grid for all grids, and by department with the undispatched apart', async () => {
    const g = (await get('period=month&date=2012-03-01&by=grid')).json();
    const { rows: [{ n }] } = await db.pool.query('SELECT count(*)::int AS n FROM grids');
    expect(g.rows).toHaveLength(n);
    expect(g.rows.find((x: { unit: { id: number } }) => x.unit.id === gridA.id)).toMatchObject({ reported: 5, closed: 3 });
    expect(g.rows.find((x: { unit: { id: number } }) => x.unit.id === gridA.id).unit.parent).toBeTruthy();
    const d = (await get('period=month&date=2012-03-01&by=department')).json();
    expect(d.rows.find((x: { unit: { code: string } }) => x.unit.code === 'D02')).toMatchObject({ reported: 2, closed: 2, avgHoursToClose: 29, p90HoursToClose: 44.2, satisfaction: 4 });
    expect(d.rows.find((x: { unit: { id: number | null } }) => x.unit.id === null)).toMatchObject({ reported: 4, void: 1, closed: 1 });
    const v = (await get('period=month&date=2012-03-01&by=village')).json();
    expect(v.rows.find((x: { unit: { id: number } }) => x.unit.id === gridA.village_id)).toMatchObject({ reported: 5 });
  });

  it('cuts days, weeks, quarters and explicit ranges at local midnight', async () => {
    expect((await get('period=week&date=2012-03-07&by=township')).json().total).toMatchObject({ reported: 2, closed: 2, avgHoursToClose: 29, p90HoursToClose: 44.2 });
    expect((await get('period=day&date=2012-03-31')).json().total).toMatchObject({ reported: 1, closed: 1, avgHoursToClose: 10 });
    expect((await get('period=day&date=2012-04-01')).json().total).toMatchObject({ reported: 1, satisfaction: 1 });
    expect((await get('period=quarter&date=2012-02-15')).json().total).toMatchObject({ reported: 7, closed: 4 });
    expect((await get('from=2012-03-31&to=2012-04-01&by=grid')).json()).toMatchObject({ period: 'custom', total: { reported: 2, closed: 2 } });
    expect((await get('period=month&date=2012-06-15')).json().total).toMatchObject({ reported: 0, closureRate: null });
  });

  it('exports CSV with a BOM and Chinese headers', async () => {
    const res = await get('period=month&date=2012-03-15&by=township&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="incidents-month-2012-03-01-township.csv"/);
    const body = res.rawPayload.toString('utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('镇（街道）编码,名称,上级,上报数,作废数,结案数,结案率,平均办结时长（小时）,P90办结时长（小时）,超期数,退回数,评价数,满意度');
    expect(lines).toHaveLength(1 + 21 + 1);
    expect(lines.find((l) => l.startsWith(gridA.township))).toMatch(/,5,1,3,0\.75,22\.67,40\.4,1,1,2,4$/);
    expect(lines[lines.length - 1]).toBe('合计,2012-03-01～2012-03-31,,6,1,3,0.6,22.67,40.4,1,2,2,4');
  });

  it('checks its parameters and needs a login', async () => {
    expect((await get('period=year')).json().field).toBe('period');
    expect((await get('period=month&date=2012-02-30')).json().field).toBe('date');
    expect((await get('from=2012-03-01')).json().field).toBe('to');
    expect((await get('from=2012-03-05&to=2012-03-01')).json().field).toBe('to');
    expect((await get('by=street')).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/reports?period=day' })).statusCode).toBe(401);
  });
});
