// GET /api/kpis — the day's figures for the panels, all computed in SQL.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Kpis } from '../schemas/kpis.js';
import { OVERDUE_SQL } from '../domain/incidentFilter.js';
import { localDayStart, localToday } from '../domain/localDay.js';

// $1 = time zone name
export const KPIS_SQL = `
WITH day AS (SELECT ${localDayStart('$1')} AS start),
today AS (SELECT i.status, i.category, i.source FROM incidents i, day WHERE i.reported_at >= day.start AND i.reported_at <= now()),
month AS (SELECT i.status, i.reported_at, i.resolved_at FROM incidents i WHERE i.reported_at >= now() - interval '30 days' AND i.reported_at <= now())
SELECT
  (SELECT start FROM day) AS day_start,
  (SELECT count(*) FROM grids)::int AS grids,
  (SELECT count(*) FROM workers WHERE active)::int AS workers_total,
  (SELECT count(*) FILTER (WHERE state <> 'offline') FROM worker_status)::int AS on_duty,
  (SELECT count(*) FILTER (WHERE state = 'patrolling') FROM worker_status)::int AS patrolling,
  (SELECT count(*) FILTER (WHERE state = 'idle') FROM worker_status)::int AS idle,
  (SELECT count(*) FILTER (WHERE state = 'outside') FROM worker_status)::int AS outside,
  (SELECT count(*) FROM today)::int AS today_total,
  (SELECT coalesce(json_object_agg(status, n), '{}'::json) FROM (SELECT status, count(*)::int AS n FROM today GROUP BY status) s) AS by_status,
  (SELECT count(*) FILTER (WHERE status IN ('resolved', 'rated', 'closed'))::float8 / nullif(count(*) FILTER (WHERE status <> 'void'), 0) FROM today) AS closure_today,
  (SELECT count(*) FILTER (WHERE status IN ('resolved', 'rated', 'closed'))::float8 / nullif(count(*) FILTER (WHERE status <> 'void'), 0) FROM month) AS closure_30d,
  (SELECT avg(extract(epoch FROM resolved_at - reported_at)) / 3600 FROM month WHERE resolved_at IS NOT NULL) AS avg_hours,
  (SELECT count(*) FROM incidents i WHERE ${OVERDUE_SQL})::int AS overdue,
  (SELECT count(DISTINCT grid_id) FROM patrol_visits WHERE day = ${localToday('$1')})::int AS visited,
  (SELECT coalesce(json_agg(json_build_object('category', category, 'count', n) ORDER BY n DESC, category), '[]'::json)
     FROM (SELECT category, count(*)::int AS n FROM today WHERE status <> 'void' GROUP BY category ORDER BY n DESC, category LIMIT 5) c) AS top_categories,
  (SELECT count(*) FROM today WHERE source = 'hotline')::int AS hotline_today`;

const kpisRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/kpis', {
    schema: { tags: ['dashboard'], summary: "The day's figures: grids, workers on duty, incidents, closure, overdue, coverage", response: { 200: Kpis } },
  }, async () => {
    const { rows: [r] } = await app.db.pool.query(KPIS_SQL, [app.timezone]);
    const round = (v: number | null, d = 4) => (v === null ? null : Number(v.toFixed(d)));
    return {
      asOf: new Date().toISOString(),
      dayStart: r.day_start.toISOString(),
      grids: r.grids,
      workers: { total: r.workers_total, onDuty: r.on_duty, patrolling: r.patrolling, idle: r.idle, outside: r.outside },
      incidentsToday: { total: r.today_total, byStatus: r.by_status },
      closureRateToday: round(r.closure_today) ?? 0,
      closureRate30d: round(r.closure_30d) ?? 0,
      avgHoursToClose30d: round(r.avg_hours, 2),
      overdue: r.overdue,
      patrolCoverageToday: r.grids ? Number((r.visited / r.grids).toFixed(4)) : 0,
      gridsVisitedToday: r.visited,
      topCategoriesToday: r.top_categories,
      hotlineToday: r.hotline_today,
    };
  });
};

export default kpisRoutes;
