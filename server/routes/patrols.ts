// Patrol history: coverage of grids per day, tracks for replay, and worker events.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest } from '../http/errors.js';
import { Track, WorkerEventItem, WorkerEventKind } from '../schemas/patrols.js';
import { localToday } from '../domain/localDay.js';

const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD (default today)' });

const Coverage = Type.Object({
  date: Type.String(),
  totalGrids: Type.Integer(),
  visitedGrids: Type.Integer(),
  share: Type.Number(),
  unvisited: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() })),
  workers: Type.Array(Type.Object({ workerId: Type.Integer(), name: Type.String(), grids: Type.Array(Type.Integer()) })),
});



const TracksQuery = Type.Object({
  worker: Type.Optional(Type.String({ pattern: '^\\d+(,\\d+){0,199}$', description: 'worker ids, comma-separated (up to 200)' })),
  grid: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'all workers assigned to this grid' })),
  village: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: 'all workers of this village' })),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  zoom: Type.Optional(Type.Number({ minimum: 0, maximum: 22, default: 14 })),
});

// Tracks: the line with M = epoch seconds, simplified to about a pixel (M of kept vertices is kept);
// distance from the full line; stops = runs of slow positions lasting 3 minutes or more.
const TRACKS_SQL = `
WITH pts AS (
  SELECT p.worker_id, p.ts, p.geom, coalesce(p.speed, 0) < 0.5 AS slow
  FROM positions p WHERE p.worker_id = ANY($1::int[]) AND p.ts >= $2 AND p.ts < $3
), lines AS (
  SELECT worker_id, count(*)::int AS n,
         ST_MakeLine(ST_MakePointM(ST_X(geom), ST_Y(geom), extract(epoch FROM ts)) ORDER BY ts) AS line
  FROM pts GROUP BY worker_id
), runs AS (
  SELECT worker_id, ts, geom, slow,
         sum(CASE WHEN slow THEN 0 ELSE 1 END) OVER (PARTITION BY worker_id ORDER BY ts) AS grp
  FROM pts
), stops AS (
  SELECT worker_id, min(ts) AS t0, max(ts) AS t1, ST_Centroid(ST_Collect(geom)) AS c
  FROM runs WHERE slow GROUP BY worker_id, grp HAVING max(ts) - min(ts) >= interval '3 minutes'
)
SELECT w.id AS "workerId", w.name, w.grid_id AS "gridId", l.n AS points,
       round(ST_Length(ST_Force2D(l.line)::geography)::numeric, 1) AS "distanceM",
       (SELECT json_agg(json_build_array(round(ST_X(d.geom)::numeric, 6), round(ST_Y(d.geom)::numeric, 6), floor(ST_M(d.geom))::bigint) ORDER BY d.path)
          FROM ST_DumpPoints(CASE WHEN l.n > 2 THEN ST_Simplify(l.line, $4) ELSE l.line END) d) AS path,
       (SELECT coalesce(json_agg(json_build_object('lon', round(ST_X(s.c)::numeric, 6), 'lat', round(ST_Y(s.c)::numeric, 6),
          'from', s.t0, 'to', s.t1, 'minutes', round((extract(epoch FROM s.t1 - s.t0) / 60)::numeric, 1)) ORDER BY s.t0), '[]'::json)
          FROM stops s WHERE s.worker_id = w.id) AS stops
FROM lines l JOIN workers w ON w.id = l.worker_id ORDER BY w.id`;

const patrolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/patrols/coverage', {
    schema: {
      tags: ['patrols'],
      summary: 'Which grids each worker visited on a day, and which grids no one visited',
      querystring: Type.Object({ date: Type.Optional(DateParam) }),
      response: { 200: Coverage },
    },
  }, async (request) => {
    const date = request.query.date ?? null;
    // Date.parse rolls 2024-02-30 over to March; PostgreSQL refuses it
    if (date && (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)) throw badRequest('date', 'not a calendar date');
    const { rows: [r] } = await app.db.pool.query(`
      WITH d AS (SELECT coalesce($1::date, ${localToday('$2')}) AS day),
      v AS (SELECT pv.* FROM patrol_visits pv, d WHERE pv.day = d.day)
      SELECT (SELECT day FROM d)::text AS date,
        (SELECT count(*) FROM grids)::int AS total,
        (SELECT count(DISTINCT grid_id) FROM v)::int AS visited,
        (SELECT coalesce(json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code), '[]'::json)
           FROM grids g WHERE NOT EXISTS (SELECT 1 FROM v WHERE v.grid_id = g.id)) AS unvisited,
        (SELECT coalesce(json_agg(json_build_object('workerId', x.worker_id, 'name', x.name, 'grids', x.grids) ORDER BY x.worker_id), '[]'::json)
           FROM (SELECT v.worker_id, w.name, array_agg(v.grid_id ORDER BY v.grid_id) AS grids
                 FROM v JOIN workers w ON w.id = v.worker_id GROUP BY v.worker_id, w.name) x) AS workers`, [date, app.timezone]);
    return { date: r.date, totalGrids: r.total, visitedGrids: r.visited, share: r.total ? Number((r.visited / r.total).toFixed(4)) : 0, unvisited: r.unvisited, workers: r.workers };
  });

  app.get('/api/tracks', {
    schema: {
      tags: ['patrols'],
      summary: 'Patrol tracks of one or many workers (or a grid\'s / village\'s workers) in a time range, simplified for the zoom',
      querystring: TracksQuery,
      response: { 200: Type.Array(Track) },
    },
  }, async (request) => {
    const q = request.query;
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (from >= to) throw badRequest('from', 'must be before to');
    if (to.getTime() - from.getTime() > 7 * 86_400_000) throw badRequest('to', 'time range longer than 7 days');
    let ids: number[] = q.worker ? q.worker.split(',').map(Number) : [];
    if (ids.some((id) => id > 2147483647)) throw badRequest('worker', 'no such worker id');
    if (q.grid !== undefined || q.village !== undefined) {
      const { rows } = await app.db.pool.query<{ id: number }>(`
        SELECT w.id FROM workers w JOIN grids g ON g.id = w.grid_id JOIN regions v ON v.id = g.village_id
        WHERE ($1::int IS NULL OR g.id = $1) AND ($2::text IS NULL OR v.code = $2)`, [q.grid ?? null, q.village ?? null]);
      ids = [...ids, ...rows.map((r) => r.id)];
    }
    if (!ids.length) throw badRequest('worker', 'give worker ids, a grid or a village');
    if (ids.length > 500) throw badRequest('worker', 'at most 500 workers at once');
    const tolerance = 360 / (512 * 2 ** (q.zoom ?? 14));
    const { rows } = await app.db.pool.query(TRACKS_SQL, [ids, from, to, tolerance]);
    return rows.map((r) => ({ ...r, path: r.path ?? [], stops: r.stops.map((s: { from: string; to: string }) => ({ ...s, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() })) }));
  });

  app.get('/api/patrols/events', {
    schema: {
      tags: ['patrols'],
      summary: 'Worker events (grid enter/exit, offline/online, left/returned to the assigned grid), newest first',
      querystring: Type.Object({
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        worker: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
        kind: Type.Optional(WorkerEventKind),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 200 })),
      }),
      response: { 200: Type.Array(WorkerEventItem) },
    },
  }, async (request) => {
    const q = request.query;
    const { rows } = await app.db.pool.query(`
      SELECT e.id, e.worker_id AS "workerId", w.name AS "workerName", e.kind, e.ts AS time, e.grid_id AS "gridId", g.name AS "gridName",
             ST_X(e.geom) AS lon, ST_Y(e.geom) AS lat
      FROM worker_events e JOIN workers w ON w.id = e.worker_id LEFT JOIN grids g ON g.id = e.grid_id
      WHERE e.ts >= coalesce($1::timestamptz, now() - interval '1 day') AND e.ts < coalesce($2::timestamptz, now() + interval '1 minute')
        AND ($3::int IS NULL OR e.worker_id = $3) AND ($4::text IS NULL OR e.kind = $4)
      ORDER BY e.ts DESC, e.id DESC LIMIT $5`, [q.from ?? null, q.to ?? null, q.worker ?? null, q.kind ?? null, q.limit ?? 200]);
    return rows.map((r) => ({ ...r, id: Number(r.id), time: r.time.toISOString() }));
  });
};

export default patrolRoutes;
