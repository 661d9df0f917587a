// The latest state of the workers in a view — the positions route's answer and the live hub's
// snapshot — from one FROM clause and one filter: a box, a township (where the worker is or the
// township of the grid assigned to it) and, after a reconnect, what changed since a time.

/** worker_status s with its worker w, the grid it is in (g, v, t) and the grid assigned to it (ag, av, at). */
export const LATEST_FROM = `worker_status s JOIN workers w ON w.id = s.worker_id
  LEFT JOIN grids g ON g.id = s.grid_id LEFT JOIN regions v ON v.id = g.village_id LEFT JOIN regions t ON t.id = v.parent_id
  JOIN grids ag ON ag.id = w.grid_id JOIN regions av ON av.id = ag.village_id JOIN regions at ON at.id = av.parent_id`;

export interface LatestFilter {
  /** minLon, minLat, maxLon, maxLat */
  bbox?: readonly number[];
  township?: string;
  /** only rows updated after this time */
  since?: Date;
}

/** `WHERE …` (or '') for LATEST_FROM, its values appended to `params`. */
export function latestWhere(f: LatestFilter, params: unknown[]): string {
  const where: string[] = [];
  if (f.since) {
    params.push(f.since);
    where.push(`s.updated_at > $${params.length}`);
  }
  if (f.township !== undefined) {
    params.push(f.township);
    where.push(`(t.code = $${params.length} OR at.code = $${params.length})`);
  }
  if (f.bbox) {
    params.push(...f.bbox);
    const n = params.length;
    where.push(`s.geom && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326)`);
  }
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}
