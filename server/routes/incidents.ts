// Incident reads for the map: heatmap bins aggregated in PostGIS, points at close zoom, details,
// the ticker of recent high-priority incidents, and the operator's list sorted by urgency.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Heatmap, HeatmapQuery, IncidentDetail, IncidentPointCollection, IncidentPointsQuery } from '../schemas/incidents.js';
import { incidentWhere, OVERDUE_SQL, timeWindow } from '../domain/incidentFilter.js';
import { IncidentList, IncidentListQuery } from '../schemas/incidentsList.js';
import { DispatchDepartment } from '../schemas/incidentsDepartments.js';
import { parseBBox } from '../http/bbox.js';
import { badRequest, HttpError } from '../http/errors.js';
import { sendJsonText, passThroughSerializer } from '../http/cache.js';
import { maskEmail, maskName, maskPhone, seesPersonalData } from '../domain/masking.js';

/** Bin edge in degrees for ~8 screen pixels at this zoom (512-px tiles). */
export function heatCell(zoom: number): number {
  return (8 * 360) / (512 * 2 ** zoom);
}

/** Heat bins: plain arithmetic on the coordinates (cheaper than ST_SnapToGrid), JSON built in SQL. */
export function heatmapSql(where: string, cellParam: string): string {
  return `
SELECT json_build_object(
  'cell', ${cellParam}::float8,
  'total', coalesce(sum(n), 0)::int,
  'maxCount', coalesce(max(n), 0)::int,
  'bins', coalesce(json_agg(json_build_array(round(((bx + 0.5) * ${cellParam})::numeric, 5), round(((by + 0.5) * ${cellParam})::numeric, 5), n)), '[]'::json)
)::text AS body
FROM (
  SELECT floor(ST_X(i.geom) / ${cellParam})::int AS bx, floor(ST_Y(i.geom) / ${cellParam})::int AS by, count(*)::int AS n
  FROM incidents i
  WHERE ${where}
  GROUP BY 1, 2
) b`;
}

const DETAIL_SQL = `
SELECT i.id, i.code, i.category, i.source, i.status, i.priority, i.description, i.address,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
       CASE WHEN g.id IS NULL THEN NULL ELSE json_build_object('id', g.id, 'code', g.code, 'name', g.name) END AS grid,
       v.name AS village, t.name AS township, d.name AS department, w.name AS reporter,
       i.reported_at, i.accepted_at, i.dispatched_at, i.resolved_at, i.closed_at, i.due_at,
       (${OVERDUE_SQL}) AS overdue, i.rating,
       t.code AS township_code, c.incident_id IS NOT NULL AS has_contact, c.first_name, c.last_name, c.email, c.phone
FROM incidents i
LEFT JOIN grids g ON g.id = i.grid_id
LEFT JOIN regions v ON v.id = i.village_id
LEFT JOIN regions t ON t.id = i.township_id
LEFT JOIN departments d ON d.id = i.department_id
LEFT JOIN workers w ON w.id = i.reporter_worker_id
LEFT JOIN incident_contacts c ON c.incident_id = i.id
WHERE i.id = $1`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Overdue first, then what is still being handled, then priority and the nearest deadline. */
const LIST_ORDER = {
  urgency: `coalesce(${OVERDUE_SQL}, false) DESC, (i.status IN ('closed', 'void')) ASC, i.priority ASC, i.due_at ASC NULLS LAST, i.reported_at DESC, i.id DESC`,
  newest: 'i.reported_at DESC, i.id DESC',
} as const;

const LIST_SQL = (where: string, order: string, limit: string, offset: string) => `
SELECT i.id, i.code, i.category, i.source, i.status, i.level, i.priority, left(i.description, 200) AS description, i.address,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, g.code AS grid_code, v.name AS village, t.name AS township, t.code AS township_code,
       d.name AS department, i.reported_at, i.due_at, coalesce(${OVERDUE_SQL}, false) AS overdue, i.return_count, i.escalation_count
FROM incidents i
LEFT JOIN grids g ON g.id = i.grid_id
LEFT JOIN regions v ON v.id = i.village_id
LEFT JOIN regions t ON t.id = i.township_id
LEFT JOIN departments d ON d.id = i.department_id
WHERE ${where}
ORDER BY ${order}
LIMIT ${limit} OFFSET ${offset}`;

const incidentsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get('/api/incidents/heatmap', {
    schema: {
      tags: ['incidents'],
      summary: 'Incident counts in square bins (about 8 px at the given zoom), computed in PostGIS',
      querystring: HeatmapQuery,
      response: { 200: Heatmap },
    },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const q = request.query;
    const win = timeWindow(q, 30);
    const params: unknown[] = [];
    const where = incidentWhere(q, win, params, q.bbox ? parseBBox(q.bbox) : null);
    params.push(heatCell(q.zoom ?? 9));
    const { rows } = await app.db.pool.query<{ body: string }>(heatmapSql(where, `$${params.length}`), params);
    return sendJsonText(reply, 'application/json', rows[0].body);
  });

  app.get('/api/incidents', {
    schema: {
      tags: ['incidents'],
      summary: 'Incident points in a time window (for close zoom), newest first',
      querystring: IncidentPointsQuery,
      response: { 200: IncidentPointCollection },
    },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const q = request.query;
    const win = timeWindow(q, 1);
    const params: unknown[] = [];
    const where = incidentWhere(q, win, params, q.bbox ? parseBBox(q.bbox) : null);
    params.push(q.limit ?? 5000);
    const sql = `
SELECT json_build_object('type', 'FeatureCollection',
  'numberMatched', (SELECT count(*) FROM incidents i WHERE ${where})::int,
  'truncated', count(*) > 0 AND (SELECT count(*) FROM incidents i WHERE ${where}) > count(*),
  'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', s.id,
     'geometry', ST_AsGeoJSON(s.geom, 6)::json,
     'properties', json_build_object('id', s.id, 'code', s.code, 'category', s.category, 'source', s.source,
        'status', s.status, 'priority', s.priority, 'reportedAt', s.reported_at, 'overdue', s.overdue))), '[]'::json))::text AS body
FROM (SELECT i.id, i.code, i.category, i.source, i.status, i.priority, i.reported_at, i.geom, (${OVERDUE_SQL}) AS overdue
      FROM incidents i WHERE ${where} ORDER BY i.reported_at DESC LIMIT $${params.length}) s`;
    const { rows } = await app.db.pool.query<{ body: string }>(sql, params);
    return sendJsonText(reply, 'application/geo+json', rows[0].body);
  });

  app.get('/api/incidents/list', {
    schema: {
      tags: ['incidents'],
      summary: 'Incidents for the operator\'s list: filtered, sorted by urgency (overdue, open, priority, deadline) or newest, paged',
      querystring: IncidentListQuery,
      response: { 200: IncidentList },
    },
  }, async (request) => {
    const q = request.query;
    const win = timeWindow(q, 30);
    const params: unknown[] = [];
    let where = incidentWhere(q, win, params);
    if (q.overdue !== undefined) where += ` AND ${q.overdue ? '' : 'NOT '}coalesce(${OVERDUE_SQL}, false)`;
    if (q.q !== undefined) {
      const text = q.q.trim();
      if (!text) throw badRequest('q', 'must not be blank');
      // A code is matched from its start; other text anywhere in the description or address.
      const esc = text.replace(/[\\%_]/g, (c) => `\\${c}`);
      params.push(`${esc.toUpperCase()}%`, `%${esc}%`);
      where += ` AND (i.code LIKE $${params.length - 1} OR i.description ILIKE $${params.length} OR i.address ILIKE $${params.length})`;
    }
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const [count, page] = await Promise.all([
      app.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`, params),
      app.db.pool.query(LIST_SQL(where, LIST_ORDER[q.sort ?? 'urgency'], `$${params.length + 1}`, `$${params.length + 2}`), [...params, limit, offset]),
    ]);
    return {
      total: count.rows[0].n, offset, limit,
      items: page.rows.map((r) => ({
        id: Number(r.id), code: r.code, category: r.category, source: r.source, status: r.status, level: r.level, priority: r.priority,
        description: r.description, address: r.address, lon: r.lon, lat: r.lat, gridCode: r.grid_code, village: r.village,
        township: r.township, townshipCode: r.township_code, department: r.department, reportedAt: r.reported_at.toISOString(),
        dueAt: iso(r.due_at), overdue: r.overdue, returnCount: r.return_count, escalationCount: r.escalation_count,
      })),
    };
  });

  app.get('/api/incidents/departments', {
    schema: { tags: ['incidents'], summary: 'Departments an incident can be dispatched to (派遣)', response: { 200: Type.Array(DispatchDepartment) } },
  }, async () => (await app.db.pool.query('SELECT id, code, name, kind FROM departments ORDER BY code')).rows);

  app.get('/api/incidents/recent', {
    schema: {
      tags: ['incidents'],
      summary: 'Newest incidents at or above a priority (the ticker)',
      querystring: Type.Object({
        priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, default: 1, description: '1 = most urgent; returns priority ≤ this' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      }),
      response: { 200: Type.Array(Type.Object({
        id: Type.Integer(), code: Type.String(), category: Type.String(), priority: Type.Integer(), status: Type.String(),
        township: Type.Union([Type.String(), Type.Null()]), village: Type.Union([Type.String(), Type.Null()]),
        reportedAt: Type.String(), lon: Type.Number(), lat: Type.Number(),
      })) },
    },
  }, async (request) => {
    const { priority = 1, limit = 20 } = request.query;
    const { rows } = await app.db.pool.query(`
      SELECT i.id, i.code, i.category, i.priority, i.status, t.name AS township, v.name AS village,
             i.reported_at AS "reportedAt", ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
      FROM incidents i LEFT JOIN regions t ON t.id = i.township_id LEFT JOIN regions v ON v.id = i.village_id
      WHERE i.priority <= $1 AND i.reported_at > now() - interval '7 days' AND i.reported_at <= now()
      ORDER BY i.reported_at DESC LIMIT $2`, [priority, limit]);
    return rows.map((r) => ({ ...r, reportedAt: r.reportedAt.toISOString() }));
  });

  app.get('/api/incidents/:id', {
    schema: {
      tags: ['incidents'],
      summary: 'One incident',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) }),
      response: { 200: IncidentDetail },
    },
  }, async (request) => {
    const { rows } = await app.db.pool.query(DETAIL_SQL, [request.params.id]);
    if (!rows.length) throw new HttpError(404, `incident ${request.params.id} not found`, 'id');
    const r = rows[0];
    // the citizen's contact in full only for those responsible for the place (server/domain/masking.ts)
    const full = seesPersonalData(request.user, r.township_code);
    const name = [r.last_name, r.first_name].filter(Boolean).join('') || null;
    const contact = r.has_contact
      ? { name: full ? name : maskName(name), phone: full ? r.phone : maskPhone(r.phone), email: full ? r.email : maskEmail(r.email), masked: !full }
      : null;
    return {
      contact,
      id: Number(r.id), code: r.code, category: r.category, source: r.source, status: r.status, priority: r.priority,
      description: r.description, address: r.address, lon: r.lon, lat: r.lat, grid: r.grid, village: r.village,
      township: r.township, department: r.department, reporter: r.reporter,
      reportedAt: r.reported_at.toISOString(), acceptedAt: iso(r.accepted_at), dispatchedAt: iso(r.dispatched_at),
      resolvedAt: iso(r.resolved_at), closedAt: iso(r.closed_at), dueAt: iso(r.due_at), overdue: r.overdue, rating: r.rating,
    };
  });
};

export default incidentsRoutes;
