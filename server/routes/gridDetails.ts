// GET /api/grids/:id (the detail card) and GET /api/grids/indicators (values to colour grids by).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GridDetail, GridIndicator, GridIndicatorQuery, type GridIndicatorName } from '../schemas/grids.js';
import { OVERDUE_SQL, timeWindow } from '../domain/incidentFilter.js';
import { localDayStart, localToday } from '../domain/localDay.js';
import { HttpError } from '../http/errors.js';
import { maskPhone, seesPersonalData } from '../domain/masking.js';

// $1 = grid id, $2 = time zone
const DETAIL_SQL = `
SELECT g.id, g.code, g.name, g.kind, g.version, round((ST_Area(g.geom::geography) / 1e6)::numeric, 3) AS "areaKm2",
  json_build_object('code', t.code, 'name', t.name) AS township,
  json_build_object('code', v.code, 'name', v.name) AS village,
  (SELECT coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'role', w.role, 'phone', w.phone, 'state', s.state, 'lastSeen', s.ts)
          ORDER BY CASE w.role WHEN 'grid_leader' THEN 0 WHEN 'full_time' THEN 1 ELSE 2 END, w.name), '[]'::json)
     FROM workers w LEFT JOIN worker_status s ON s.worker_id = w.id WHERE w.grid_id = g.id AND w.active) AS workers,
  (SELECT json_build_object('total', count(*), 'open', count(*) FILTER (WHERE i.status NOT IN ('closed', 'void', 'resolved', 'rated')),
                            'overdue', count(*) FILTER (WHERE ${OVERDUE_SQL}))
     FROM incidents i WHERE i.grid_id = g.id AND i.reported_at >= ${localDayStart('$2')} AND i.reported_at <= now()) AS "incidentsToday",
  (SELECT coalesce(json_agg(json_build_object('id', x.id, 'code', x.code, 'category', x.category, 'status', x.status, 'reportedAt', x.reported_at)), '[]'::json)
     FROM (SELECT id, code, category, status, reported_at FROM incidents WHERE grid_id = g.id AND reported_at <= now()
           ORDER BY reported_at DESC LIMIT 5) x) AS "recentIncidents",
  (SELECT json_build_object('visited', count(*) > 0, 'workers', count(DISTINCT worker_id), 'firstVisit', min(first_ts), 'lastVisit', max(last_ts))
     FROM patrol_visits WHERE grid_id = g.id AND day = ${localToday('$2')}) AS "patrolToday",
  json_build_array(ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom)) AS bbox
FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
WHERE g.id = $1`;

/** One value per grid; every grid appears (0 when nothing). */
function indicatorSql(indicator: GridIndicatorName): string {
  switch (indicator) {
    case 'open_incidents':
      return `SELECT g.id, count(i.id)::float8 AS v FROM grids g LEFT JOIN incidents i ON i.grid_id = g.id
              AND i.status IN ('reported', 'accepted', 'dispatched', 'in_progress', 'returned') GROUP BY g.id`;
    case 'incidents':
      return `SELECT g.id, count(i.id)::float8 AS v FROM grids g LEFT JOIN incidents i ON i.grid_id = g.id
              AND i.reported_at >= $1 AND i.reported_at < $2 GROUP BY g.id`;
    case 'coverage':
      return `SELECT g.id, (count(p.worker_id) > 0)::int::float8 AS v FROM grids g LEFT JOIN patrol_visits p ON p.grid_id = g.id
              AND p.day = ${localToday('$1')} GROUP BY g.id`;
    case 'workers_on_duty':
      return `SELECT g.id, count(s.worker_id)::float8 AS v FROM grids g LEFT JOIN workers w ON w.grid_id = g.id AND w.active
              LEFT JOIN worker_status s ON s.worker_id = w.id AND s.state <> 'offline' GROUP BY g.id`;
  }
}

const gridDetailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/grids/indicators', {
    schema: { tags: ['grids'], summary: 'A value per grid to colour the map by', querystring: GridIndicatorQuery, response: { 200: GridIndicator } },
  }, async (request) => {
    const { indicator } = request.query;
    const win = timeWindow(request.query, 1);
    const sql = `SELECT json_object_agg(id, v) AS values, coalesce(max(v), 0) AS max FROM (${indicatorSql(indicator)}) x`;
    const params: unknown[] = indicator === 'incidents' ? [win.from, win.to] : indicator === 'coverage' ? [app.timezone] : [];
    const { rows: [r] } = await app.db.pool.query<{ values: Record<string, number> | null; max: number }>(sql, params);
    return { indicator, max: r.max, values: r.values ?? {} };
  });

  app.get('/api/grids/:id', {
    schema: {
      tags: ['grids'],
      summary: 'One grid: its area, workers and their state, today\'s incidents and patrol coverage',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
      response: { 200: GridDetail },
    },
  }, async (request) => {
    const { rows } = await app.db.pool.query(DETAIL_SQL, [request.params.id, app.timezone]);
    if (!rows.length) throw new HttpError(404, `grid ${request.params.id} not found`, 'id');
    const r = rows[0];
    // workers' phones in full only for those responsible for the grid (server/domain/masking.ts)
    const full = seesPersonalData(request.user, r.township.code);
    return {
      ...r,
      workers: full ? r.workers : r.workers.map((w: { phone: string | null }) => ({ ...w, phone: maskPhone(w.phone) })),
      incidentsToday: { total: Number(r.incidentsToday.total), open: Number(r.incidentsToday.open), overdue: Number(r.incidentsToday.overdue) },
    };
  });
};

export default gridDetailRoutes;
