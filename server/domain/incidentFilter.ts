// Turns the shared incident filters (time window, categories, sources, states, township) into a
// parameterised WHERE clause. Unknown sources or states are a 400 naming the field.
import { INCIDENT_SOURCES, INCIDENT_STATUSES, OPEN_STATUSES, type IncidentFilter } from '../schemas/incidents.js';
import { badRequest } from '../http/errors.js';
import type { BBox } from '../http/bbox.js';

const DAY_MS = 86_400_000;

function list(field: string, value: string | undefined, allowed?: readonly string[]): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length > 50) throw badRequest(field, 'at most 50 values');
  if (allowed) {
    const bad = items.find((s) => !allowed.includes(s));
    if (bad !== undefined) throw badRequest(field, `"${bad.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
  }
  return items;
}

export interface Window { from: Date; to: Date }

/** from/to of the request, defaulting to the `defaultDays` days before now; checked for order. */
export function timeWindow(f: Pick<IncidentFilter, 'from' | 'to'>, defaultDays: number, now = new Date()): Window {
  const to = f.to ? new Date(f.to) : now;
  const from = f.from ? new Date(f.from) : new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() > to.getTime()) throw badRequest('from', `must not be after to (${to.toISOString()})`);
  if (to.getTime() - from.getTime() > 3660 * DAY_MS) throw badRequest('from', 'time window longer than 10 years');
  return { from, to };
}

/**
 * WHERE clause over incidents aliased `i`; pushes its parameters onto `params`.
 * The window is half-open: from ≤ reported_at < to.
 */
export function incidentWhere(f: IncidentFilter, win: Window, params: unknown[], bbox?: BBox | null): string {
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const parts = [`i.reported_at >= ${p(win.from)}`, `i.reported_at < ${p(win.to)}`];
  const categories = list('category', f.category);
  if (categories) parts.push(`i.category = ANY(${p(categories)}::text[])`);
  const sources = list('source', f.source, INCIDENT_SOURCES);
  if (sources) parts.push(`i.source = ANY(${p(sources)}::text[])`);
  let statuses = list('status', f.status, [...INCIDENT_STATUSES, 'open', 'overdue']);
  if (statuses) {
    const overdue = statuses.includes('overdue');
    statuses = statuses.flatMap((s) => (s === 'open' ? OPEN_STATUSES : s === 'overdue' ? [] : [s]));
    const cond: string[] = [];
    if (statuses.length) cond.push(`i.status = ANY(${p(statuses)}::text[])`);
    if (overdue) cond.push(`(${OVERDUE_SQL})`);
    parts.push(`(${cond.join(' OR ')})`);
  }
  if (f.township) parts.push(`i.township_id = (SELECT id FROM regions WHERE code = ${p(f.township)} AND kind = 'township')`);
  if (bbox) parts.push(`i.geom && ST_MakeEnvelope(${p(bbox[0])}, ${p(bbox[1])}, ${p(bbox[2])}, ${p(bbox[3])}, 4326)`);
  return parts.join(' AND ');
}

/** An incident is overdue when its current step's time limit has passed and it is still being handled. */
export const OVERDUE_SQL = `i.due_at < now() AND i.status IN ('reported', 'accepted', 'dispatched', 'in_progress', 'returned')`;
