// The incident loop against the real PostGIS: report with grid assignment (also after a boundary
// change), a full walk through every state, 409/403 with the allowed actions, township scope,
// duplicates, on-the-spot fixes, live messages and the audit log. Every incident made here is
// deleted afterwards (events and contacts go with it); the shared database stays as it was.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import type { Database } from '../../server/db/pool.js';
import { seededTestDatabase } from '../support/db.js';
import { authorisedInject, userWithToken, type Inject } from '../support/auth.js';
import { createUser, TEST_PASSWORD } from '../support/users.js';

let db: Database;
let app: FastifyInstance;
/** app.inject as a logged-in viewer */
let api: Inject;
const created: number[] = [];
const cookies: Record<string, string> = {};
// A grid in one township and a grid in another, with an inner point each.
let gridA: { id: number; code: string; village_id: number; township_id: number; township: string; lon: number; lat: number };
let gridB: typeof gridA;

async function login(role: 'viewer' | 'dispatcher' | 'editor' | 'admin', township?: string) {
  const u = await createUser(db.pool, role, township);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: TEST_PASSWORD } });
  expect(res.statusCode).toBe(200);
  return { id: u.id, username: u.username, cookie: String(res.headers['set-cookie']).split(';')[0] };
}

const report = async (cookie: string, body: Record<string, unknown>) => {
  const res = await api({ method: 'POST', url: '/api/incidents', headers: { cookie }, payload: body });
  if (res.statusCode === 201) created.push(res.json().incident.id);
  return res;
};
const act = (cookie: string, id: number, body: Record<string, unknown>) =>
  api({ method: 'POST', url: `/api/incidents/${id}/transitions`, headers: { cookie }, payload: body });

beforeAll(async () => {
  db = await seededTestDatabase();
  app = await buildApp({ db, live: { timers: false } });
  api = authorisedInject(app, (await userWithToken(db.pool)).token);
  const { rows } = await db.pool.query(`
    SELECT DISTINCT ON (t.id) g.id, g.code, g.village_id, t.id AS township_id, t.code AS township,
           ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
    FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
    WHERE EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id AND w.role IN ('full_time', 'part_time'))
    ORDER BY t.id, g.id LIMIT 2`);
  [gridA, gridB] = rows;
  for (const [k, role, t] of [['admin', 'admin'], ['county', 'dispatcher'], ['townA', 'dispatcher', gridA.township], ['townB', 'dispatcher', gridB.township], ['viewer', 'viewer'], ['editor', 'editor']] as const) {
    cookies[k] = (await login(role, t)).cookie;
  }
});

afterAll(async () => {
  if (created.length) await db.pool.query('DELETE FROM incidents WHERE id = ANY($1::bigint[])', [created]);
  await app?.close();
  await db?.close();
});

describe('reporting', () => {
  it('locates the report in its grid, village and township, assigns the grid worker, sets the first deadline', async () => {
    const res = await report(cookies.county, { category: '环境卫生', source: 'command_center', description: '测试：垃圾桶满溢', lon: gridA.lon, lat: gridA.lat, address: '测试路1号' });
    expect(res.statusCode).toBe(201);
    const { incident } = res.json();
    expect(incident).toMatchObject({ status: 'reported', statusLabel: '上报', level: 'village', gridId: gridA.id, villageId: gridA.village_id, townshipId: gridA.township_id, townshipCode: gridA.township, priority: 3, overdue: false });
    expect(incident.code).toMatch(/^SJ\d{8}-\d{7}$/);
    const { rows: [w] } = await db.pool.query(`SELECT id FROM workers WHERE grid_id = $1 AND active AND role IN ('full_time', 'part_time') ORDER BY (role = 'full_time') DESC, id LIMIT 1`, [gridA.id]);
    expect(incident.assignedWorkerId).toBe(w.id);
    // 环境卫生: accept within 2 h at priority 3
    expect(Date.parse(incident.dueAt) - Date.parse(incident.reportedAt)).toBe(2 * 3_600_000);
    const audit = await db.pool.query(`SELECT action, target FROM audit_log WHERE target = $1`, [`incident:${incident.id}`]);
    expect(audit.rows).toEqual([{ action: 'incident.report', target: `incident:${incident.id}` }]);
  });

  it('refuses a location outside the county with 422 naming lon/lat, and unknown categories with 400', async () => {
    const out = await report(cookies.county, { category: '环境卫生', source: 'hotline', description: 'x', lon: 116.4, lat: 39.9 });
    expect(out.statusCode).toBe(422);
    expect(out.json()).toMatchObject({ field: 'lon', fields: ['lon', 'lat'] });
    const bad = await report(cookies.county, { category: '不存在', source: 'hotline', description: 'x', lon: gridA.lon, lat: gridA.lat });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('category');
    const src = await report(cookies.county, { category: '环境卫生', source: 'fax', description: 'x', lon: gridA.lon, lat: gridA.lat });
    expect(src.statusCode).toBe(400);
    expect(src.json().field).toBe('source');
  });

  it('is for dispatchers and admins; a township dispatcher reports only in its township', async () => {
    const body = { category: '占道经营', source: 'grid_worker', description: '测试：占道', lon: gridA.lon, lat: gridA.lat };
    expect((await report(cookies.viewer, body)).statusCode).toBe(403);
    expect((await report(cookies.editor, body)).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/incidents', payload: body })).statusCode).toBe(401);
    expect((await report(cookies.townB, body)).statusCode).toBe(403);
    expect((await report(cookies.townA, body)).statusCode).toBe(201);
    expect((await report(cookies.admin, body)).statusCode).toBe(201);
  });

  it('uses the boundaries valid at the moment of the report (grid_versions), then the current grids again', async () => {
    // A version of grid B valid from a minute ago that covers grid A's point; one that ended and one
    // not yet valid, which must be ignored.
    const { rows: [v] } = await db.pool.query(`SELECT coalesce(max(version), 0) + 1000 AS v FROM grid_versions WHERE grid_id = $1`, [gridB.id]);
    const ids: number[] = [];
    try {
      for (const [from, to, grid] of [["now() - interval '1 minute'", 'NULL', gridB.id], ["now() - interval '2 days'", "now() - interval '1 day'", gridA.id], ["now() + interval '1 day'", 'NULL', gridA.id]] as const) {
        const { rows: [r] } = await db.pool.query(`
          INSERT INTO grid_versions (grid_id, version, code, name, village_id, kind, geom, valid_from, valid_to, changed_by, reason)
          SELECT g.id, $2::int + $5::int, g.code, g.name, g.village_id, g.kind, ST_Buffer(ST_SetSRID(ST_MakePoint($3, $4), 4326), 0.001)::geometry(Polygon, 4326), ${from}, ${to}, 'test', 'boundary change test'
          FROM grids g WHERE g.id = $1 RETURNING id`, [grid, v.v, gridA.lon, gridA.lat, ids.length]);
        ids.push(Number(r.id));
      }
      const res = await report(cookies.county, { category: '环境卫生', source: 'hotline', description: '测试：边界调整后', lon: gridA.lon, lat: gridA.lat });
      expect(res.statusCode).toBe(201);
      expect(res.json().incident).toMatchObject({ gridId: gridB.id, townshipId: gridB.township_id });
    } finally {
      await db.pool.query('DELETE FROM grid_versions WHERE id = ANY($1::bigint[])', [ids]);
    }
    const again = await report(cookies.county, { category: '环境卫生', source: 'hotline', description: '测试：恢复', lon: gridA.lon, lat: gridA.lat });
    expect(again.json().incident.gridId).toBe(gridA.id);
    // the earlier incident keeps the grid it was reported in
    const first = await db.pool.query('SELECT grid_id FROM incidents WHERE id = $1', [created[created.length - 2]]);
    expect(first.rows[0].grid_id).toBe(gridB.id);
  });

  it('points out likely duplicates when reporting and before submitting', async () => {
    const body = { category: '噪音扰民', source: 'hotline', description: '测试：广场舞音响', lon: gridB.lon, lat: gridB.lat };
    const first = await report(cookies.county, body);
    const second = await report(cookies.county, { ...body, lon: gridB.lon + 0.0005 }); // ~50 m east
    const hints = second.json().possibleDuplicates;
    expect(hints.map((h: { id: number }) => h.id)).toContain(first.json().incident.id);
    const hint = hints.find((h: { id: number }) => h.id === first.json().incident.id);
    expect(hint.distanceM).toBeGreaterThan(30);
    expect(hint.distanceM).toBeLessThan(70);
    const q = await api({ url: `/api/incidents/duplicates?category=${encodeURIComponent('噪音扰民')}&lon=${gridB.lon}&lat=${gridB.lat}` });
    expect(q.statusCode).toBe(200);
    const ids = q.json().duplicates.map((h: { id: number }) => h.id);
    expect(ids).toEqual(expect.arrayContaining([first.json().incident.id, second.json().incident.id]));
    // another category or far away: none of ours
    const other = await api({ url: `/api/incidents/duplicates?category=C01&lon=${gridB.lon}&lat=${gridB.lat + 0.01}` });
    expect(other.json().duplicates.map((h: { id: number }) => h.id)).not.toContain(first.json().incident.id);
    // voiding the second as a duplicate of the first links them and drops it from the hints
    const v = await act(cookies.county, second.json().incident.id, { action: 'void', duplicateOf: first.json().incident.id, note: '重复' });
    expect(v.statusCode).toBe(200);
    expect(v.json().incident).toMatchObject({ status: 'void', duplicateOf: first.json().incident.id });
    const after = await api({ url: `/api/incidents/duplicates?category=C09&lon=${gridB.lon}&lat=${gridB.lat}` });
    expect(after.json().duplicates.map((h: { id: number }) => h.id)).not.toContain(second.json().incident.id);
  });

  it('files a grid worker\'s on-the-spot fix as resolved, with its photo', async () => {
    const { rows: [w] } = await db.pool.query('SELECT id FROM workers WHERE grid_id = $1 LIMIT 1', [gridA.id]);
    const noPhoto = await report(cookies.county, { category: '乱堆乱放', source: 'grid_worker', description: '测试', lon: gridA.lon, lat: gridA.lat, resolvedOnSite: true });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().field).toBe('photoUrl');
    const res = await report(cookies.county, { category: '乱堆乱放', source: 'grid_worker', description: '测试：杂物已清理', lon: gridA.lon, lat: gridA.lat, reporterWorkerId: w.id, resolvedOnSite: true, photoUrl: 'https://files.example/p/1.jpg' });
    expect(res.statusCode).toBe(201);
    const { incident } = res.json();
    expect(incident).toMatchObject({ status: 'resolved', resolvedOnSite: true, photoUrl: 'https://files.example/p/1.jpg', reporterWorkerId: w.id, overdue: false });
    expect(incident.resolvedAt).toBe(incident.reportedAt);
    const tl = (await api({ url: `/api/incidents/${incident.id}/timeline`, headers: { cookie: cookies.county } })).json();
    expect(tl.events.map((e: { action: string }) => e.action)).toEqual(['report', 'resolve']);
    const close = await act(cookies.county, incident.id, { action: 'close' });
    expect(close.json().incident.status).toBe('closed');
  });
});

describe('the workflow', () => {
  it('walks every state with who, when and a note recorded, and publishes each change live', async () => {
    const spy = vi.spyOn(app.live.hub, 'publishIncident');
    const admin = await login('admin');
    const res = await report(admin.cookie, { category: '道路破损', source: 'hotline', description: '测试：路面坑槽', lon: gridA.lon, lat: gridA.lat, priority: 2 });
    const id = res.json().incident.id as number;
    const { rows: [dept] } = await db.pool.query(`SELECT id FROM departments WHERE code = 'D50'`);
    const steps: [Record<string, unknown>, string][] = [
      [{ action: 'accept', note: '村已受理' }, 'accepted'],
      [{ action: 'dispatch', note: '派公路中心', departmentId: dept.id }, 'dispatched'],
      [{ action: 'return', reason: '不属本单位职责' }, 'returned'],
      [{ action: 'dispatch', note: '改派交通局' }, 'dispatched'],
      [{ action: 'start', note: '已到现场' }, 'in_progress'],
      [{ action: 'escalate', reason: '需县级协调' }, 'accepted'],
      [{ action: 'escalate' }, 'accepted'],
      [{ action: 'start' }, 'in_progress'],
      [{ action: 'resolve', note: '已修补' }, 'resolved'],
      [{ action: 'rate', rating: 4, comment: '处理及时' }, 'rated'],
      [{ action: 'close', note: '结案' }, 'closed'],
    ];
    let last = '';
    for (const [body, to] of steps) {
      const r = await act(admin.cookie, id, body);
      expect(r.statusCode, JSON.stringify(r.json())).toBe(200);
      expect(r.json().incident.status).toBe(to);
      last = r.json().incident.level;
    }
    expect(last).toBe('county');
    const tl = (await api({ url: `/api/incidents/${id}/timeline`, headers: { cookie: cookies.viewer } })).json();
    expect(tl.events).toHaveLength(steps.length + 1);
    expect(tl.events.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: steps.length + 1 }, (_, i) => i + 1));
    expect(tl.events.map((e: { to: string }) => e.to)).toEqual(['reported', ...steps.map((s) => s[1])]);
    for (const e of tl.events) {
      expect(e.actor).toEqual({ kind: 'user', userId: admin.id, name: admin.username });
      expect(Date.now() - Date.parse(e.at)).toBeLessThan(60_000);
    }
    expect(tl.events[1]).toMatchObject({ from: 'reported', fromLabel: '上报', to: 'accepted', toLabel: '受理', action: 'accept', actionLabel: '受理', note: '村已受理' });
    expect(tl.events[2].data).toMatchObject({ departmentId: dept.id, departmentCode: 'D50' });
    expect(tl.events[3]).toMatchObject({ note: '不属本单位职责', data: { reason: '不属本单位职责' } });
    expect(tl.events[4].data).toMatchObject({ departmentCode: 'D06', defaulted: true }); // the category's department
    expect(tl.events[6].data).toMatchObject({ fromLevel: 'village', toLevel: 'township' });
    expect(tl.events[10].data).toMatchObject({ rating: 4, comment: '处理及时' });
    const i = tl.incident;
    expect(i).toMatchObject({ status: 'closed', rating: 4, ratingComment: '处理及时', returnCount: 1, escalationCount: 2, level: 'county', dueAt: null, overdue: false });
    for (const k of ['acceptedAt', 'dispatchedAt', 'startedAt', 'resolvedAt', 'ratedAt', 'closedAt']) expect(i[k]).not.toBeNull();
    const audit = await db.pool.query(`SELECT action, user_id, ip FROM audit_log WHERE target = $1 ORDER BY id`, [`incident:${id}`]);
    expect(audit.rows.map((r) => r.action)).toEqual(['incident.report', ...steps.map((s) => `incident.${s[0].action}`)]);
    expect(audit.rows.every((r) => r.user_id === admin.id && r.ip)).toBe(true);
    const msgs = spy.mock.calls.map((c) => c[0] as { id: number; status: string }).filter((m) => m.id === id);
    expect(msgs.map((m) => m.status)).toEqual(['reported', ...steps.map((s) => s[1])]);
    expect(msgs[0]).toMatchObject({ code: res.json().incident.code, category: '道路破损', priority: 2, lon: gridA.lon, lat: gridA.lat });
    spy.mockRestore();
  });

  it('answers 409 with the allowed actions when the state does not allow it, and keeps nothing', async () => {
    const res = await report(cookies.county, { category: '环境卫生', source: 'hotline', description: '测试：409', lon: gridA.lon, lat: gridA.lat });
    const id = res.json().incident.id;
    const r = await act(cookies.county, id, { action: 'resolve' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ status: 'reported', field: 'action', allowed: ['accept', 'return', 'escalate', 'void'] });
    const rate = await act(cookies.county, id, { action: 'rate', rating: 5 });
    expect(rate.statusCode).toBe(409);
    // missing data for an allowed action: 400 naming the field
    const ret = await act(cookies.county, id, { action: 'return' });
    expect(ret.statusCode).toBe(400);
    expect(ret.json().field).toBe('reason');
    const v = await act(cookies.county, id, { action: 'void' });
    expect(v.json().field).toBe('duplicateOf');
    const self = await act(cookies.county, id, { action: 'void', duplicateOf: id });
    expect(self.statusCode).toBe(422);
    const tl = (await api({ url: `/api/incidents/${id}/timeline`, headers: { cookie: cookies.county } })).json();
    expect(tl.events).toHaveLength(1);
    expect(tl.incident.status).toBe('reported');
    // escalation stops at the county
    await act(cookies.county, id, { action: 'escalate' });
    await act(cookies.county, id, { action: 'escalate' });
    const top = await act(cookies.county, id, { action: 'escalate' });
    expect(top.statusCode).toBe(409);
    expect(top.json().allowed).toEqual(['dispatch', 'start', 'return', 'void']);
    const unknownAction = await act(cookies.county, id, { action: 'reopen' });
    expect(unknownAction.statusCode).toBe(400);
    expect((await act(cookies.county, 999_999_999, { action: 'accept' })).statusCode).toBe(404);
  });

  it('answers 403 with the allowed actions for roles that may not and outside a dispatcher\'s township', async () => {
    const res = await report(cookies.county, { category: '环境卫生', source: 'hotline', description: '测试：403', lon: gridA.lon, lat: gridA.lat });
    const id = res.json().incident.id;
    for (const k of ['viewer', 'editor', 'townB']) {
      const r = await act(cookies[k], id, { action: 'accept' });
      expect(r.statusCode, k).toBe(403);
      expect(r.json().allowed).toEqual([]);
      const a = await api({ url: `/api/incidents/${id}/actions`, headers: { cookie: cookies[k] } });
      expect(a.json().actions).toEqual([]);
    }
    expect((await act('', id, { action: 'accept' })).statusCode).toBe(401);
    const mine = await api({ url: `/api/incidents/${id}/actions`, headers: { cookie: cookies.townA } });
    expect(mine.json()).toMatchObject({ status: 'reported', statusLabel: '上报', level: 'village' });
    expect(mine.json().actions.map((a: { action: string }) => a.action)).toEqual(['accept', 'return', 'escalate', 'void']);
    expect(mine.json().actions[0]).toEqual({ action: 'accept', label: '受理', to: 'accepted', toLabel: '受理' });
    expect((await act(cookies.townA, id, { action: 'accept' })).statusCode).toBe(200);
  });

  it('lets a county-wide dispatcher record the citizen\'s rating', async () => {
    const res = await report(cookies.county, { category: '园林绿化', source: 'hotline', description: '测试：评价', lon: gridB.lon, lat: gridB.lat });
    const id = res.json().incident.id;
    for (const a of ['accept', 'start', 'resolve']) expect((await act(cookies.county, id, { action: a })).statusCode).toBe(200);
    const noRating = await act(cookies.county, id, { action: 'rate' });
    expect(noRating.json().field).toBe('rating');
    const r = await act(cookies.county, id, { action: 'rate', rating: 2, comment: '不太满意' });
    expect(r.json().incident).toMatchObject({ status: 'rated', rating: 2 });
    // an unsatisfied citizen: sent back for rework
    const back = await act(cookies.county, id, { action: 'return', reason: '群众不满意，重新处置' });
    expect(back.json().incident.status).toBe('returned');
  });

  it('flags an incident whose step deadline passed as overdue, as /api/kpis counts it', async () => {
    const res = await report(cookies.county, { category: '防汛', source: 'hotline', description: '测试：超期', lon: gridB.lon, lat: gridB.lat });
    const id = res.json().incident.id;
    const before = (await api({ url: '/api/kpis' })).json().overdue;
    await db.pool.query(`UPDATE incidents SET due_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const i = (await api({ url: `/api/incidents/${id}/timeline`, headers: { cookie: cookies.county } })).json().incident;
    expect(i.overdue).toBe(true);
    expect((await api({ url: `/api/incidents/${id}` })).json().overdue).toBe(true);
    const after = (await api({ url: '/api/kpis' })).json().overdue;
    expect(after - before).toBeGreaterThanOrEqual(1);
    // accepting starts the next step with a fresh deadline
    const acc = await act(cookies.county, id, { action: 'accept' });
    expect(acc.json().incident.overdue).toBe(false);
  });

  it('lists the categories with their departments and time limits', async () => {
    const res = await api({ url: '/api/incidents/categories' });
    const cats = res.json();
    expect(cats).toHaveLength(20);
    expect(cats.every((c: { departmentId: number | null }) => c.departmentId !== null)).toBe(true);
    expect(cats.find((c: { name: string }) => c.name === '道路破损')).toMatchObject({ code: 'C04', department: '县交通运输局', slaHours: { accept: 2, dispatch: 4, start: 24, resolve: 120, close: 72 } });
    // every category the seed generates has a row
    const { rows } = await db.pool.query(`SELECT DISTINCT category FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_categories c WHERE c.name = i.category)`);
    expect(rows).toEqual([]);
  });
});
