// The incident loop over HTTP: report (POST /api/incidents), transitions, timeline, allowed actions,
// duplicate hints and categories. The work is done by IncidentService, which any caller (the REST
// routes, Open311, grid workers' devices later, benchmarks) uses with its own Actor.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { HttpError, badRequest } from '../http/errors.js';
import { OVERDUE_SQL } from '../domain/incidentFilter.js';
import {
  ACTION_LABELS, decide, allowedActions, STATUS_LABELS, TRANSITIONS,
  type Actor, type Level, type WorkflowAction, type WorkflowState,
} from '../domain/incidentWorkflow.js';
import { dueAt, type StepLimits } from '../domain/sla.js';
import type { IncidentSource, IncidentStatus } from '../schemas/incidents.js';
import {
  AllowedActions, CategoryInfo, DuplicatesQuery, IdParams, ReportBody, ReportResult, Timeline, TransitionBody,
  TransitionResult, type DuplicateHint, type IncidentMessage, type TimelineEvent, type WorkflowIncident,
} from '../schemas/workflow.js';

declare module 'fastify' {
  interface FastifyInstance { incidents: IncidentService }
}

export interface Category {
  code: string; name: string; group: string; description: string; departmentCode: string; departmentId: number | null;
  department: string | null; defaultPriority: number; limits: StepLimits; attributes: Open311Attribute[];
}
export interface Open311Attribute {
  code: string; datatype: string; required: boolean; description: string; values?: { key: string; name: string }[];
}

export interface ReportInput {
  category: string;
  source: IncidentSource;
  description: string;
  lon: number;
  lat: number;
  priority?: number;
  address?: string | null;
  reporterWorkerId?: number | null;
  photoUrl?: string | null;
  resolvedOnSite?: boolean;
  note?: string | null;
  /** Open311 attribute values */
  attributes?: Record<string, string> | null;
  contact?: { firstName?: string; lastName?: string; email?: string; phone?: string; clientId?: number } | null;
}

export interface TransitionInput {
  action: WorkflowAction; note?: string; departmentId?: number; rating?: number; comment?: string; duplicateOf?: number; reason?: string;
}

export interface CallContext { ip?: string | null }

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The incident as the workflow API shows it. */
const INCIDENT_SQL = `
SELECT i.id, i.code, i.category, i.source, i.status, i.level, i.priority, i.description, i.address,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.grid_id, g.code AS grid_code, i.village_id, v.name AS village,
       i.township_id, t.name AS township, t.code AS township_code, i.department_id, d.name AS department,
       i.assigned_worker_id, i.reporter_worker_id, i.photo_url, i.resolved_on_site, i.duplicate_of,
       i.reported_at, i.accepted_at, i.dispatched_at, i.started_at, i.resolved_at, i.rated_at, i.closed_at, i.due_at,
       (${OVERDUE_SQL}) AS overdue, i.rating, i.rating_comment, i.return_count, i.escalation_count
FROM incidents i
LEFT JOIN grids g ON g.id = i.grid_id
LEFT JOIN regions v ON v.id = i.village_id
LEFT JOIN regions t ON t.id = i.township_id
LEFT JOIN departments d ON d.id = i.department_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toIncident(r: any): WorkflowIncident {
  return {
    id: Number(r.id), code: r.code, category: r.category, source: r.source, status: r.status, statusLabel: STATUS_LABELS[r.status as IncidentStatus],
    level: r.level, priority: r.priority, description: r.description, address: r.address, lon: r.lon, lat: r.lat,
    gridId: r.grid_id, gridCode: r.grid_code, villageId: r.village_id, village: r.village, townshipId: r.township_id,
    township: r.township, townshipCode: r.township_code, departmentId: r.department_id, department: r.department,
    assignedWorkerId: r.assigned_worker_id, reporterWorkerId: r.reporter_worker_id, photoUrl: r.photo_url,
    resolvedOnSite: r.resolved_on_site, duplicateOf: r.duplicate_of === null ? null : Number(r.duplicate_of),
    reportedAt: r.reported_at.toISOString(), acceptedAt: iso(r.accepted_at), dispatchedAt: iso(r.dispatched_at),
    startedAt: iso(r.started_at), resolvedAt: iso(r.resolved_at), ratedAt: iso(r.rated_at), closedAt: iso(r.closed_at),
    dueAt: iso(r.due_at), overdue: r.overdue, rating: r.rating, ratingComment: r.rating_comment,
    returnCount: r.return_count, escalationCount: r.escalation_count,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toEvent(r: any): TimelineEvent {
  return {
    seq: r.seq, from: r.from_status, fromLabel: r.from_status ? STATUS_LABELS[r.from_status as IncidentStatus] : null,
    to: r.to_status, toLabel: STATUS_LABELS[r.to_status as IncidentStatus], action: r.action,
    actionLabel: ACTION_LABELS[r.action as WorkflowAction] ?? r.action,
    actor: { kind: r.actor_kind, userId: r.actor_user_id, name: r.actor_name }, at: r.at.toISOString(), note: r.note, data: r.data,
  };
}

function actorFields(actor: Actor): { kind: string; userId: number | null; name: string; auditName: string } {
  switch (actor.kind) {
    case 'user': return { kind: 'user', userId: actor.id, name: actor.name, auditName: actor.name };
    case 'open311': return { kind: 'open311', userId: null, name: actor.name, auditName: `open311:${actor.name}` };
    case 'device': return { kind: 'device', userId: null, name: actor.name, auditName: `device:worker:${actor.workerId}` };
    default: return { kind: 'system', userId: null, name: actor.name, auditName: `system:${actor.name}` };
  }
}

/** Turns a request's logged-in user into an Actor (401 without one). */
export function userActor(request: FastifyRequest): Actor {
  const u = request.user;
  if (!u) throw new HttpError(401, 'login required');
  return { kind: 'user', id: u.id, name: u.displayName || u.username, role: u.role, township: u.township };
}

export interface ServiceOptions {
  /** IANA time zone of the county (the date in incident codes). */
  timezone?: string;
  /** Live channel: called after each commit. */
  publish?: (msg: IncidentMessage) => void;
  /** Radius (m) and window (h) of duplicate hints. */
  duplicateRadiusM?: number;
  duplicateHours?: number;
}

export class IncidentService {
  private cats: { at: number; byKey: Map<string, Category>; list: Category[] } | null = null;

  constructor(private pool: pg.Pool, private opts: ServiceOptions = {}) {}

  /** Categories with their department, cached for a minute. */
  async categories(): Promise<Category[]> {
    if (!this.cats || Date.now() - this.cats.at > 60_000) {
      const { rows } = await this.pool.query(`
        SELECT c.*, d.id AS department_id, d.name AS department
        FROM incident_categories c LEFT JOIN departments d ON d.code = c.department_code
        WHERE c.active ORDER BY c.sort, c.code`);
      const list: Category[] = rows.map((r) => ({
        code: r.code, name: r.name, group: r.group_name, description: r.description, departmentCode: r.department_code,
        departmentId: r.department_id, department: r.department, defaultPriority: r.default_priority,
        limits: { acceptH: r.sla_accept_h, dispatchH: r.sla_dispatch_h, startH: r.sla_start_h, resolveH: r.sla_resolve_h, closeH: r.sla_close_h },
        attributes: r.attributes,
      }));
      const byKey = new Map<string, Category>();
      for (const c of list) { byKey.set(c.name, c); byKey.set(c.code, c); }
      this.cats = { at: Date.now(), byKey, list };
    }
    return this.cats.list;
  }

  async category(key: string, field = 'category'): Promise<Category> {
    await this.categories();
    const c = this.cats!.byKey.get(key.trim());
    if (!c) throw badRequest(field, `unknown category "${key.slice(0, 40)}" (see GET /api/incidents/categories)`);
    return c;
  }

  /** Limits of a category that may have been retired since (defaults of a 72 h case). */
  private async limitsOf(name: string): Promise<{ limits: StepLimits; departmentId: number | null }> {
    await this.categories();
    const c = this.cats!.byKey.get(name);
    if (c) return { limits: c.limits, departmentId: c.departmentId };
    const { rows } = await this.pool.query(`
      SELECT c.sla_accept_h, c.sla_dispatch_h, c.sla_start_h, c.sla_resolve_h, c.sla_close_h, d.id AS department_id
      FROM incident_categories c LEFT JOIN departments d ON d.code = c.department_code WHERE c.name = $1`, [name]);
    if (rows.length) {
      const r = rows[0];
      return { limits: { acceptH: r.sla_accept_h, dispatchH: r.sla_dispatch_h, startH: r.sla_start_h, resolveH: r.sla_resolve_h, closeH: r.sla_close_h }, departmentId: r.department_id };
    }
    return { limits: { acceptH: 2, dispatchH: 4, startH: 24, resolveH: 48, closeH: 72 }, departmentId: null };
  }

  /** Likely duplicates: same category, within `radius` m and `hours` h, not void or closed. */
  async duplicates(category: string, lon: number, lat: number, o: { radius?: number; hours?: number; excludeId?: number; db?: pg.Pool | pg.PoolClient } = {}): Promise<DuplicateHint[]> {
    const radius = o.radius ?? this.opts.duplicateRadiusM ?? 200;
    const hours = o.hours ?? this.opts.duplicateHours ?? 48;
    // A box in degrees around the point first (index), then the exact distance on the spheroid.
    const dLat = radius / 111_000;
    const dLon = radius / (111_000 * Math.max(0.1, Math.cos((lat * Math.PI) / 180)));
    const { rows } = await (o.db ?? this.pool).query(`
      SELECT i.id, i.code, i.status, i.description, i.reported_at,
             ST_Distance(i.geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS dist
      FROM incidents i
      WHERE i.category = $1 AND i.reported_at > now() - make_interval(secs => $4 * 3600) AND i.reported_at <= now() + interval '5 minutes'
        AND i.status NOT IN ('void', 'closed') AND i.id <> $5
        AND i.geom && ST_MakeEnvelope($2 - $6, $3 - $7, $2 + $6, $3 + $7, 4326)
        AND ST_DWithin(i.geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $8)
      ORDER BY dist, i.reported_at DESC LIMIT 10`, [category, lon, lat, hours, o.excludeId ?? 0, dLon, dLat, radius]);
    return rows.map((r) => ({
      id: Number(r.id), code: r.code, status: r.status, statusLabel: STATUS_LABELS[r.status as IncidentStatus],
      description: r.description, reportedAt: r.reported_at.toISOString(), distanceM: Math.round(r.dist * 10) / 10,
    }));
  }

  /**
   * Files a report: locates it in the grids valid now, assigns the grid's worker, sets the first
   * step's deadline, records the event and the audit entry — one transaction. A grid worker's
   * on-the-spot fix (resolvedOnSite, with a photo) is filed as 办结 straight away.
   */
  async report(actor: Actor, input: ReportInput, ctx: CallContext = {}): Promise<{ incident: WorkflowIncident; possibleDuplicates: DuplicateHint[] }> {
    const cat = await this.category(input.category);
    if (input.resolvedOnSite && !input.photoUrl) throw badRequest('photoUrl', 'required when resolvedOnSite (photo of the result)');
    if (actor.kind === 'user' && actor.role !== 'dispatcher' && actor.role !== 'admin') {
      throw new HttpError(403, `role ${actor.role} may not report incidents; needs dispatcher or admin`, undefined, { allowedRoles: ['dispatcher', 'admin'] });
    }
    const priority = input.priority ?? cat.defaultPriority;
    const who = actorFields(actor);
    const result = await withTransaction(this.pool, async (c) => {
      const { rows: [loc] } = await c.query(LOCATE_SQL, [input.lon, input.lat]);
      if (!loc.inside || loc.grid_id === null) {
        throw new HttpError(422, `lon/lat (${input.lon}, ${input.lat}) is outside the county`, 'lon', { fields: ['lon', 'lat'] });
      }
      if (actor.kind === 'user' && actor.role === 'dispatcher' && actor.township !== null && actor.township !== loc.township_code) {
        throw new HttpError(403, `location is outside your township (${actor.township})`, 'lon', { fields: ['lon', 'lat'] });
      }
      const now: Date = loc.now;
      const onSite = Boolean(input.resolvedOnSite);
      const status: IncidentStatus = onSite ? 'resolved' : 'reported';
      const due = dueAt(status, cat.limits, priority, now);
      let row;
      try {
        ({ rows: [row] } = await c.query(`
          WITH n AS (SELECT nextval(pg_get_serial_sequence('incidents', 'id')) AS id)
          INSERT INTO incidents (id, code, category, source, status, priority, description, address, geom, grid_id, village_id, township_id,
            reporter_worker_id, reported_at, accepted_at, started_at, resolved_at, due_at, level, assigned_worker_id, photo_url,
            resolved_on_site, attributes, updated_at)
          SELECT n.id, 'SJ' || to_char($1::timestamptz AT TIME ZONE $19, 'YYYYMMDD') || '-' || lpad(n.id::text, 7, '0'),
            $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326), $10, $11, $12, $13, $1,
            CASE WHEN $16 THEN $1 END, CASE WHEN $16 THEN $1 END, CASE WHEN $16 THEN $1 END, $14, 'village', $15, $17, $16, $18, $1
          FROM n RETURNING id, code`,
        [now, cat.name, input.source, status, priority, input.description, input.address ?? null, input.lon, input.lat,
          loc.grid_id, loc.village_id, loc.township_id, input.reporterWorkerId ?? null, due, loc.worker_id, onSite,
          input.photoUrl ?? null, input.attributes && Object.keys(input.attributes).length ? input.attributes : null, this.opts.timezone ?? 'Asia/Shanghai']));
      } catch (err) {
        if ((err as { code?: string }).code === '23503') throw new HttpError(422, `reporterWorkerId ${input.reporterWorkerId}: no such worker`, 'reporterWorkerId');
        throw err;
      }
      const id = Number(row.id);
      const data = { gridId: loc.grid_id, villageId: loc.village_id, townshipId: loc.township_id, assignedWorkerId: loc.worker_id, source: input.source, boundaries: loc.from_versions ? 'grid_versions' : 'grids' };
      await c.query(`INSERT INTO incident_events (incident_id, seq, from_status, to_status, action, actor_kind, actor_user_id, actor_name, at, note, data)
        VALUES ($1, 1, NULL, 'reported', 'report', $2, $3, $4, $5, $6, $7)`, [id, who.kind, who.userId, who.name, now, input.note ?? null, data]);
      if (onSite) {
        await c.query(`INSERT INTO incident_events (incident_id, seq, from_status, to_status, action, actor_kind, actor_user_id, actor_name, at, note, data)
          VALUES ($1, 2, 'reported', 'resolved', 'resolve', $2, $3, $4, $5, '现场办结（小事不出网格）', $6)`, [id, who.kind, who.userId, who.name, now, { onSite: true, photoUrl: input.photoUrl }]);
      }
      if (input.contact && Object.values(input.contact).some((v) => v !== undefined && v !== '')) {
        const k = input.contact;
        await c.query('INSERT INTO incident_contacts (incident_id, client_id, first_name, last_name, email, phone) VALUES ($1, $2, $3, $4, $5, $6)',
          [id, k.clientId ?? null, k.firstName || null, k.lastName || null, k.email || null, k.phone || null]);
      }
      await c.query(`INSERT INTO audit_log (user_id, actor, action, target, detail, ip) VALUES ($1, $2, 'incident.report', $3, $4, $5)`,
        [who.userId, who.auditName, `incident:${id}`, { code: row.code, category: cat.name, source: input.source, status }, ctx.ip ?? null]);
      const { rows: [full] } = await c.query(`${INCIDENT_SQL} WHERE i.id = $1`, [id]);
      return toIncident(full);
    });
    this.publish(result, 'report');
    const possibleDuplicates = await this.duplicates(cat.name, input.lon, input.lat, { excludeId: result.id });
    return { incident: result, possibleDuplicates };
  }

  private publish(i: WorkflowIncident, action: string) {
    if (!this.opts.publish) return;
    try {
      this.opts.publish({ id: i.id, code: i.code, category: i.category, status: i.status, statusLabel: i.statusLabel, action,
        priority: i.priority, lon: i.lon, lat: i.lat, township: i.townshipCode, reportedAt: i.reportedAt });
    } catch { /* the live channel never fails a committed write */ }
  }

  /** Locks the incident row and returns what the state machine needs. */
  private async lockState(c: pg.PoolClient, id: number) {
    const { rows } = await c.query(`
      SELECT i.id, i.status, i.level, i.category, i.priority, i.grid_id, i.due_at, t.code AS township, now() AS now
      FROM incidents i LEFT JOIN regions t ON t.id = i.township_id WHERE i.id = $1 FOR UPDATE OF i`, [id]);
    if (!rows.length) throw new HttpError(404, `incident ${id} not found`, 'id');
    return rows[0];
  }

  /** Runs one action in one transaction (row locked), records the event and the audit entry. */
  async transition(actor: Actor, id: number, input: TransitionInput, ctx: CallContext = {}): Promise<{ incident: WorkflowIncident; event: TimelineEvent }> {
    const who = actorFields(actor);
    const result = await withTransaction(this.pool, async (c) => {
      const cur = await this.lockState(c, id);
      const state: WorkflowState = { status: cur.status, level: cur.level, township: cur.township, gridId: cur.grid_id };
      const v = decide(state, input.action, actor);
      if (!v.ok) {
        throw new HttpError(v.status, v.reason, 'action', {
          status: cur.status, statusLabel: STATUS_LABELS[cur.status as IncidentStatus], allowed: v.allowed,
        });
      }
      const now: Date = cur.now;
      const { limits, departmentId: defaultDept } = await this.limitsOf(cur.category);
      const set: string[] = ['status = $2', 'level = $3', 'due_at = $4', 'updated_at = $5'];
      const params: unknown[] = [id, v.to, v.level, dueAt(v.to, limits, cur.priority, now, cur.due_at), now];
      const p = (val: unknown) => { params.push(val); return `$${params.length}`; };
      const data: Record<string, unknown> = {};
      let note = input.note ?? null;
      switch (input.action) {
        case 'accept': set.push('accepted_at = $5'); break;
        case 'dispatch': {
          const dep = input.departmentId ?? defaultDept;
          if (dep == null) throw badRequest('departmentId', 'required: the category has no default department');
          const { rows } = await c.query('SELECT id, code, name FROM departments WHERE id = $1', [dep]);
          if (!rows.length) throw new HttpError(422, `departmentId ${dep}: no such department`, 'departmentId');
          set.push(`department_id = ${p(dep)}`, 'dispatched_at = $5');
          Object.assign(data, { departmentId: dep, departmentCode: rows[0].code, department: rows[0].name, defaulted: input.departmentId === undefined });
          break;
        }
        case 'start': set.push('started_at = coalesce(started_at, $5)'); if (cur.status === 'accepted' || cur.status === 'returned') set.push('accepted_at = coalesce(accepted_at, $5)'); break;
        case 'resolve': set.push('resolved_at = $5'); break;
        case 'rate': {
          if (input.rating === undefined) throw badRequest('rating', 'required (1–5)');
          set.push(`rating = ${p(input.rating)}`, `rating_comment = ${p(input.comment ?? null)}`, 'rated_at = $5');
          Object.assign(data, { rating: input.rating, comment: input.comment ?? null });
          break;
        }
        case 'close': set.push('closed_at = $5'); break;
        case 'return': {
          if (!input.reason) throw badRequest('reason', 'required: why it is returned');
          set.push('return_count = return_count + 1');
          data.reason = input.reason;
          note ??= input.reason;
          break;
        }
        case 'escalate': {
          set.push('escalation_count = escalation_count + 1', 'accepted_at = coalesce(accepted_at, $5)');
          Object.assign(data, { fromLevel: cur.level, toLevel: v.level });
          if (input.reason) data.reason = input.reason;
          break;
        }
        case 'void': {
          if (input.duplicateOf === undefined && !input.reason) throw badRequest('duplicateOf', 'required: the original incident (or a reason when it is not a duplicate)');
          if (input.duplicateOf !== undefined) {
            if (input.duplicateOf === id) throw new HttpError(422, 'duplicateOf: an incident cannot duplicate itself', 'duplicateOf');
            const { rows } = await c.query('SELECT id, code FROM incidents WHERE id = $1', [input.duplicateOf]);
            if (!rows.length) throw new HttpError(422, `duplicateOf ${input.duplicateOf}: no such incident`, 'duplicateOf');
            set.push(`duplicate_of = ${p(input.duplicateOf)}`);
            Object.assign(data, { duplicateOf: input.duplicateOf, duplicateOfCode: rows[0].code });
          }
          if (input.reason) data.reason = input.reason;
          set.push('closed_at = $5');
          break;
        }
      }
      await c.query(`UPDATE incidents SET ${set.join(', ')} WHERE id = $1`, params);
      const { rows: [ev] } = await c.query(`
        INSERT INTO incident_events (incident_id, seq, from_status, to_status, action, actor_kind, actor_user_id, actor_name, at, note, data)
        SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM incident_events WHERE incident_id = $1
        RETURNING *`, [id, v.from, v.to, input.action, who.kind, who.userId, who.name, now, note, Object.keys(data).length ? data : null]);
      await c.query(`INSERT INTO audit_log (user_id, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
        [who.userId, who.auditName, `incident.${input.action}`, `incident:${id}`, { from: v.from, to: v.to, seq: ev.seq, ...data }, ctx.ip ?? null]);
      const { rows: [full] } = await c.query(`${INCIDENT_SQL} WHERE i.id = $1`, [id]);
      return { incident: toIncident(full), event: toEvent(ev) };
    });
    this.publish(result.incident, input.action);
    return result;
  }

  async get(id: number): Promise<WorkflowIncident> {
    const { rows } = await this.pool.query(`${INCIDENT_SQL} WHERE i.id = $1`, [id]);
    if (!rows.length) throw new HttpError(404, `incident ${id} not found`, 'id');
    return toIncident(rows[0]);
  }

  async timeline(id: number): Promise<{ incident: WorkflowIncident; events: TimelineEvent[] }> {
    const incident = await this.get(id);
    const { rows } = await this.pool.query('SELECT * FROM incident_events WHERE incident_id = $1 ORDER BY seq', [id]);
    return { incident, events: rows.map(toEvent) };
  }

  async actions(actor: Actor, id: number) {
    const i = await this.get(id);
    const state: WorkflowState = { status: i.status, level: i.level as Level, township: i.townshipCode, gridId: i.gridId };
    return {
      status: i.status, statusLabel: i.statusLabel, level: i.level,
      actions: allowedActions(state, actor).map((a) => {
        const to = TRANSITIONS[i.status][a]!;
        return { action: a, label: ACTION_LABELS[a], to, toLabel: STATUS_LABELS[to] };
      }),
    };
  }
}

/**
 * Where a point is: inside the county at all, and its grid among the boundaries valid now —
 * grid_versions when a version valid now covers it, else the current grids, else (a point in a
 * sliver between grids) the nearest grid; with the grid's village, township and worker
 * (full-time first, then part-time).
 */
export const LOCATE_SQL = `
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g),
inside AS (SELECT EXISTS (SELECT 1 FROM regions r, pt WHERE r.kind = 'county' AND ST_Covers(r.geom, pt.g)) AS ok),
gv AS (SELECT v.grid_id, v.village_id, true AS from_versions FROM grid_versions v, pt
       WHERE v.geom && pt.g AND ST_Covers(v.geom, pt.g) AND v.valid_from <= now() AND (v.valid_to IS NULL OR v.valid_to > now())
       ORDER BY v.valid_from DESC, v.grid_id LIMIT 1),
gc AS (SELECT g.id AS grid_id, g.village_id, false AS from_versions FROM grids g, pt WHERE g.geom && pt.g AND ST_Covers(g.geom, pt.g) ORDER BY g.id LIMIT 1),
nearest AS (SELECT g.id AS grid_id, g.village_id, false AS from_versions FROM grids g, pt, inside WHERE inside.ok ORDER BY g.geom <-> pt.g LIMIT 1),
pick AS ((SELECT * FROM gv) UNION ALL (SELECT * FROM gc) UNION ALL (SELECT * FROM nearest) LIMIT 1)
SELECT inside.ok AS inside, pick.grid_id, pick.village_id, pick.from_versions, v.parent_id AS township_id, t.code AS township_code, now() AS now,
  (SELECT w.id FROM workers w WHERE w.grid_id = pick.grid_id AND w.active AND w.role IN ('full_time', 'part_time')
   ORDER BY (w.role = 'full_time') DESC, w.id LIMIT 1) AS worker_id
FROM inside LEFT JOIN pick ON true LEFT JOIN regions v ON v.id = pick.village_id LEFT JOIN regions t ON t.id = v.parent_id`;

const workflowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = app.incidents;
  const auth = async (request: FastifyRequest) => { if (!request.user) throw new HttpError(401, 'login required'); };

  app.post('/api/incidents', {
    schema: {
      tags: ['incident workflow'],
      summary: 'Report an incident (上报): located in the grids valid now, assigned to the grid worker, duplicates pointed out',
      body: ReportBody,
      response: { 201: ReportResult },
    },
    preHandler: app.requireRole('dispatcher'),
  }, async (request, reply) => {
    const res = await service.report(userActor(request), request.body, { ip: request.ip });
    return reply.code(201).send(res);
  });

  app.get('/api/incidents/categories', {
    schema: { tags: ['incident workflow'], summary: 'Incident categories with default department, priority and step time limits', response: { 200: Type.Array(CategoryInfo) } },
  }, async () => (await service.categories()).map((c) => ({
    code: c.code, name: c.name, group: c.group, description: c.description, departmentId: c.departmentId, departmentCode: c.departmentCode,
    department: c.department, defaultPriority: c.defaultPriority,
    slaHours: { accept: c.limits.acceptH, dispatch: c.limits.dispatchH, start: c.limits.startH, resolve: c.limits.resolveH, close: c.limits.closeH },
  })));

  app.get('/api/incidents/duplicates', {
    schema: {
      tags: ['incident workflow'],
      summary: 'Likely duplicates of a report about to be filed: same category, near (200 m), recent (48 h), not void or closed',
      querystring: DuplicatesQuery,
      response: { 200: Type.Object({ duplicates: Type.Array(Type.Any()) }) },
    },
  }, async (request) => {
    const q = request.query;
    const cat = await service.category(q.category);
    return { duplicates: await service.duplicates(cat.name, q.lon, q.lat, { radius: q.radius, hours: q.hours }) };
  });

  app.post('/api/incidents/:id/transitions', {
    schema: {
      tags: ['incident workflow'],
      summary: 'Run a workflow action (受理/派遣/开始处置/办结/评价/结案/退回/升级/作废); 409 or 403 list the allowed actions',
      params: IdParams,
      body: TransitionBody,
      response: { 200: TransitionResult },
    },
    preHandler: auth,
  }, async (request) => service.transition(userActor(request), request.params.id, request.body, { ip: request.ip }));

  app.get('/api/incidents/:id/timeline', {
    schema: { tags: ['incident workflow'], summary: 'Every transition of an incident: who, when, from → to, note', params: IdParams, response: { 200: Timeline } },
    preHandler: auth,
  }, async (request) => service.timeline(request.params.id));

  app.get('/api/incidents/:id/actions', {
    schema: { tags: ['incident workflow'], summary: 'Actions the current user may run on the incident now', params: IdParams, response: { 200: AllowedActions } },
    preHandler: auth,
  }, async (request) => service.actions(userActor(request), request.params.id));
};

export default workflowRoutes;
