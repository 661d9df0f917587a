// Applying a change to the grid coverage in one transaction: lock the grids touched (optimistic
// version check) and their neighbourhood, validate the result in PostGIS (valid polygons, inside
// the county, not taking another village's area, no overlap, no new gap, minimum area and width),
// then write the grids, their history, the derived village and township areas and the change set.
import type pg from 'pg';
import { HttpError } from '../http/errors.js';
import type { ChangeResult, Violation } from '../schemas/gridEdits.js';

export type PlanItem =
  | { op: 'change'; id: number; baseVersion: number; geometry?: string; villageId?: number; code?: string; name?: string }
  | { op: 'create'; key: string; geometry: string; villageId: number; code: string; name: string; kind: 'urban' | 'rural' }
  | { op: 'retire'; id: number; baseVersion: number; /** where its workers go: an existing grid id or a created grid's key */ workersTo: number | string };

export interface Actor { userId: number | null; name: string; ip?: string }

/** Rules' thresholds. Areas in m², widths in m. */
export const RULES = { minAreaM2: 2000, minWidthM: 10, overlapToleranceM2: 0.05, gapToleranceM2: 1, snapToleranceDeg: 1e-6 };

/**
 * SQL: the area in m² of a sliver (a gap, an overlap, a piece outside), measured in the plane of
 * its longitude / latitude, scaled at its latitude. Edges are straight in that plane: a sliver
 * whose vertices are collinear there (a split point on an old edge) has no area, whereas as a
 * geography (geodesic edges) it measures up to a few m² along a long edge.
 */
export const sliverM2 = (g: string): string => `(ST_Area(${g}) * 12392029030.5 * cos(radians(ST_Y(ST_Centroid(${g})))))`;

export class ConflictError extends HttpError {
  constructor(message: string, current: unknown) {
    super(409, message, undefined, { current });
  }
}

/** 422 carrying every broken rule; the first one leads the message. */
export class ValidationFailed extends HttpError {
  constructor(violations: Violation[]) {
    const v = violations[0];
    super(422, `${v.gridCode ?? 'new grid'}: ${v.rule}: ${v.message}`, undefined, { violations });
  }
}

/** Next free code in a village: the highest suffix ever used (history included) + 1. */
export async function nextGridCodes(client: pg.PoolClient, villageId: number, n: number): Promise<string[]> {
  const { rows: [r] } = await client.query(`
    SELECT v.code AS village, coalesce(max(split_part(x.code, '-', 2)::int), 0) AS top
    FROM regions v LEFT JOIN (SELECT code FROM grid_versions WHERE village_id = $1 UNION SELECT code FROM grids WHERE village_id = $1) x
      ON x.code LIKE v.code || '-%'
    WHERE v.id = $1 GROUP BY v.code`, [villageId]);
  return Array.from({ length: n }, (_, i) => `${r.village}-${String(r.top + 1 + i).padStart(2, '0')}`);
}

export async function applyPlan(client: pg.PoolClient, plan: PlanItem[], meta: { kind: string; reason: string; actor: Actor; dryRun?: boolean; reverts?: number }): Promise<ChangeResult> {
  const touched = [...new Set(plan.filter((p) => p.op !== 'create').map((p) => (p as { id: number }).id))].sort((a, b) => a - b);
  // The planner prices ST_DumpPoints and friends so high that PostgreSQL compiles these small
  // statements with JIT, which alone took ~300 ms of a ~10 ms save.
  await client.query('SET LOCAL jit = off');

  // 1. Lock the grids touched and check they are still at the version the edit started from.
  const { rows: locked } = await client.query<{ id: number; version: number }>(
    'SELECT id, version FROM grids WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [touched]);
  const current = new Map(locked.map((r) => [r.id, r.version]));
  const missing = touched.filter((id) => !current.has(id));
  if (missing.length) throw new HttpError(404, `grid ${missing.join(', ')} not found (split or merged away?)`, 'id');
  const stale = plan.filter((p) => p.op !== 'create' && current.get(p.id) !== p.baseVersion);
  if (stale.length) {
    const { rows } = await client.query(`SELECT id, code, version, ST_AsGeoJSON(geom, 7)::json AS geometry FROM grids WHERE id = ANY($1::int[]) ORDER BY id`, [touched]);
    throw new ConflictError(`grid ${stale.map((p) => (p as { id: number }).id).join(', ')} changed since version ${stale.map((p) => (p as { baseVersion: number }).baseVersion).join(', ')}: reload and edit again`, rows);
  }

  // 2. The plan in a temporary table, so every rule is one SQL statement over it.
  await client.query(`CREATE TEMP TABLE edit_plan (
    key text PRIMARY KEY, op text NOT NULL, grid_id int, village_id int, code text, name text, kind text,
    old_geom geometry, new_geom geometry, workers_to text) ON COMMIT DROP`);
  const rows = plan.map((p) => p.op === 'create'
    ? { key: `new:${p.key}`, op: p.op, id: null, village: p.villageId, code: p.code, name: p.name, kind: p.kind, geom: p.geometry, to: null }
    : p.op === 'change'
      ? { key: `grid:${p.id}`, op: p.op, id: p.id, village: p.villageId ?? null, code: p.code ?? null, name: p.name ?? null, kind: null, geom: p.geometry ?? null, to: null }
      : { key: `grid:${p.id}`, op: p.op, id: p.id, village: null, code: null, name: null, kind: null, geom: null, to: typeof p.workersTo === 'number' ? `grid:${p.workersTo}` : `new:${p.workersTo}` });
  await client.query(`
    INSERT INTO edit_plan (key, op, grid_id, village_id, code, name, kind, old_geom, new_geom, workers_to)
    SELECT u.key, u.op, u.id, coalesce(u.village, g.village_id), coalesce(u.code, g.code), coalesce(u.name, g.name), coalesce(u.kind, g.kind),
           g.geom,
           CASE WHEN u.op = 'retire' THEN NULL WHEN u.geom IS NULL THEN g.geom ELSE ST_SetSRID(ST_GeomFromGeoJSON(u.geom), 4326) END,
           u.to_key
    FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
      AS u(key, op, id, village, code, name, kind, geom, to_key)
    LEFT JOIN grids g ON g.id = u.id`,
  [rows.map((r) => r.key), rows.map((r) => r.op), rows.map((r) => r.id), rows.map((r) => r.village), rows.map((r) => r.code),
    rows.map((r) => r.name), rows.map((r) => r.kind), rows.map((r) => r.geom), rows.map((r) => r.to)]);

  // 3. Lock the neighbourhood (so a concurrent edit next door waits and then sees this one), and
  //    snap new boundaries onto neighbours' vertices within ~10 cm (coordinates rounded in transit).
  await client.query(`
    SELECT g.id FROM grids g, (SELECT ST_Extent(coalesce(new_geom, old_geom)) AS e FROM edit_plan) x
    WHERE g.geom && x.e AND NOT g.id = ANY($1::int[]) ORDER BY g.id FOR UPDATE OF g`, [touched]);
  //    Only onto vertices near where the boundary changed: stretches the edit left alone keep their
  //    vertices (a neighbour's vertex lying a hair off an old edge would otherwise bend it into the
  //    neighbour, far from the edit).
  await client.query(`
    UPDATE edit_plan p SET new_geom = s.snapped
    FROM (
      SELECT p.key, ST_Snap(p.new_geom, n.others, $2::float8) AS snapped
      FROM edit_plan p
      -- (a created grid: its boundary but where it runs along old ones, e.g. a split's cut)
      CROSS JOIN LATERAL (SELECT CASE WHEN p.old_geom IS NOT NULL THEN ST_SymDifference(p.old_geom, p.new_geom)
        ELSE coalesce(ST_Difference(ST_Boundary(p.new_geom), ST_Buffer((SELECT ST_Boundary(ST_Union(q.old_geom)) FROM edit_plan q), 2 * $2::float8)),
                      p.new_geom) END AS changed) c
      CROSS JOIN LATERAL (
        SELECT ST_Collect(d.geom) AS others
        FROM grids g CROSS JOIN LATERAL ST_DumpPoints(g.geom) d
        WHERE g.geom && ST_Expand(c.changed, 2 * $2::float8) AND NOT g.id = ANY($1::int[]) AND ST_DWithin(d.geom, c.changed, 2 * $2::float8)) n
      WHERE p.new_geom IS NOT NULL AND ST_IsValid(p.new_geom) AND NOT ST_IsEmpty(c.changed) AND n.others IS NOT NULL
    ) s
    WHERE s.key = p.key AND ST_IsValid(s.snapped) AND ST_GeometryType(s.snapped) = ST_GeometryType(p.new_geom)`, [touched, RULES.snapToleranceDeg]);

  // 4. Validate.
  const violations = await validate(client, touched);
  if (violations.length) throw new ValidationFailed(violations);

  // 5. Write. Change set first: versions point at it.
  const { rows: before } = await client.query(`
    SELECT p.key, p.op, p.grid_id, p.code, p.name, g.version,
           coalesce(ST_Area(p.old_geom::geography), 0) AS area_before, coalesce(ST_Area(p.new_geom::geography), 0) AS area_after
    FROM edit_plan p LEFT JOIN grids g ON g.id = p.grid_id ORDER BY p.key`);
  const { rows: [cs] } = await client.query(
    `INSERT INTO grid_change_sets (user_id, actor, kind, reason, summary, reverts) VALUES ($1, $2, $3, $4, '[]', $5) RETURNING id`,
    [meta.actor.userId, meta.actor.name, meta.kind, meta.reason, meta.reverts ?? null]);
  const changeSetId = Number(cs.id);

  const { rows: created } = await client.query<{ key: string; id: number }>(`
    WITH ins AS (
      INSERT INTO grids (code, name, village_id, kind, geom)
      SELECT code, name, village_id, kind, new_geom FROM edit_plan WHERE op = 'create' ORDER BY key
      RETURNING id, code)
    SELECT p.key, ins.id FROM ins JOIN edit_plan p ON p.code = ins.code AND p.op = 'create'`);
  for (const c of created) await client.query('UPDATE edit_plan SET grid_id = $2 WHERE key = $1', [c.key, c.id]);
  await client.query(`
    UPDATE grids g SET geom = p.new_geom, village_id = p.village_id, code = p.code, name = p.name,
      version = g.version + 1, updated_at = now()
    FROM edit_plan p WHERE p.op = 'change' AND g.id = p.grid_id`);
  // Workers of retired grids move to the grid the plan names, then the grid leaves the coverage.
  await client.query(`
    UPDATE workers w SET grid_id = t.grid_id
    FROM edit_plan r JOIN edit_plan t ON t.key = r.workers_to
    WHERE r.op = 'retire' AND w.grid_id = r.grid_id`);
  await client.query(`DELETE FROM grids g USING edit_plan p WHERE p.op = 'retire' AND g.id = p.grid_id`);
  // History: close the versions that end now, open the new ones.
  await client.query(`
    UPDATE grid_versions v SET valid_to = now()
    FROM edit_plan p WHERE p.op IN ('change', 'retire') AND v.grid_id = p.grid_id AND v.valid_to IS NULL`);
  await client.query(`
    INSERT INTO grid_versions (grid_id, version, code, name, village_id, kind, geom, valid_from, changed_by, reason, change_set_id)
    SELECT g.id, g.version, g.code, g.name, g.village_id, g.kind, g.geom, now(), $1, $2, $3
    FROM edit_plan p JOIN grids g ON g.id = p.grid_id WHERE p.op IN ('change', 'create')`,
  [meta.actor.name, meta.reason, changeSetId]);

  // Villages and townships are unions of their grids: recompute the ones this touched.
  await client.query(`
    WITH vids AS (
      SELECT DISTINCT village_id AS id FROM edit_plan WHERE village_id IS NOT NULL
      UNION SELECT g.village_id FROM grid_versions g JOIN edit_plan p ON p.grid_id = g.grid_id WHERE g.valid_to = now()
    ), u AS (SELECT g.village_id, ST_Union(g.geom) AS geom FROM grids g WHERE g.village_id IN (SELECT id FROM vids) GROUP BY g.village_id)
    UPDATE regions r SET geom = ST_Multi(u.geom), area_m2 = ST_Area(u.geom::geography), label_point = ST_PointOnSurface(u.geom)
    FROM u WHERE r.id = u.village_id`);
  await client.query(`
    WITH tids AS (SELECT DISTINCT v.parent_id AS id FROM regions v WHERE v.id IN (SELECT village_id FROM edit_plan WHERE village_id IS NOT NULL)),
    u AS (SELECT v.parent_id, ST_Union(v.geom) AS geom FROM regions v WHERE v.kind = 'village' AND v.parent_id IN (SELECT id FROM tids) GROUP BY v.parent_id)
    UPDATE regions r SET geom = ST_Multi(u.geom), area_m2 = ST_Area(u.geom::geography), label_point = ST_PointOnSurface(u.geom)
    FROM u WHERE r.id = u.parent_id`);
  await client.query(`
    UPDATE cameras c SET grid_id = g.id FROM grids g, (SELECT ST_Extent(coalesce(new_geom, old_geom)) AS e FROM edit_plan) x
    WHERE c.geom && x.e AND ST_Intersects(g.geom, c.geom) AND c.grid_id IS DISTINCT FROM g.id`);

  const { rows: after } = await client.query(`SELECT p.key, p.grid_id, g.version, g.code, g.name FROM edit_plan p LEFT JOIN grids g ON g.id = p.grid_id`);
  const afterBy = new Map(after.map((r) => [r.key, r]));
  const grids = before.map((b) => {
    const a = afterBy.get(b.key);
    return {
      id: a?.grid_id ?? b.grid_id, code: a?.code ?? b.code, name: a?.name ?? b.name,
      change: b.op === 'create' ? 'created' : b.op === 'retire' ? 'retired' : 'changed',
      fromVersion: b.op === 'create' ? null : b.version, toVersion: b.op === 'retire' ? null : a?.version ?? null,
      areaBeforeM2: Math.round(b.area_before * 10) / 10, areaAfterM2: Math.round(b.area_after * 10) / 10,
    };
  });
  await client.query('UPDATE grid_change_sets SET summary = $2 WHERE id = $1', [changeSetId, JSON.stringify(grids)]);
  await client.query(`INSERT INTO audit_log (user_id, actor, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
    [meta.actor.userId, meta.actor.name, `grids.${meta.kind}`, `change_set:${changeSetId}`, JSON.stringify({ reason: meta.reason, grids: grids.map((g) => g.id) }), meta.actor.ip ?? null]);
  return { changeSetId: meta.dryRun ? null : changeSetId, dryRun: Boolean(meta.dryRun), grids };
}

/** Every rule, each one SQL statement over edit_plan; returns all violations found. */
async function validate(client: pg.PoolClient, touched: number[]): Promise<Violation[]> {
  const out: Violation[] = [];
  const add = (rows: Array<Record<string, unknown>>) => {
    for (const r of rows) {
      out.push({ gridId: (r.grid_id as number) ?? null, gridCode: (r.code as string) ?? null, rule: r.rule as string, message: r.message as string,
        where: (r.place as Violation['where']) ?? null, ...(r.other ? { otherGridId: r.other as number } : {}) });
    }
  };
  // Valid, single polygons first: the other rules need valid input.
  add((await client.query(`
    SELECT grid_id, code, 'valid_geometry' AS rule, ST_IsValidReason(new_geom) AS message,
           ST_AsGeoJSON((ST_IsValidDetail(new_geom)).location, 7)::json AS place
    FROM edit_plan WHERE new_geom IS NOT NULL AND NOT ST_IsValid(new_geom)
    UNION ALL
    SELECT grid_id, code, 'single_polygon', 'must be one polygon, got ' || ST_GeometryType(new_geom), ST_AsGeoJSON(ST_PointOnSurface(new_geom), 7)::json
    FROM edit_plan WHERE new_geom IS NOT NULL AND ST_IsValid(new_geom) AND ST_GeometryType(new_geom) <> 'ST_Polygon'`)).rows);
  if (out.length) return out;
  // One after the other: they share this transaction's connection.
  const rules: Array<[string, unknown[]]> = [
    [`
      SELECT p.grid_id, p.code, 'inside_county' AS rule,
             round(${sliverM2('d')}::numeric, 1) || ' m² outside the county' AS message, ST_AsGeoJSON(d, 7)::json AS place
      FROM edit_plan p, regions c, LATERAL (SELECT ST_Difference(p.new_geom, c.geom) AS d) x
      WHERE c.kind = 'county' AND p.new_geom IS NOT NULL AND NOT ST_IsEmpty(d) AND ${sliverM2('d')} > $1`, [RULES.gapToleranceM2]],
    // A grid may take area from another village only where the change set also edits that
    // village's grids there (the village boundary moves with it); area in no village is free.
    [`
      SELECT p.grid_id, p.code, 'inside_village' AS rule,
             round(${sliverM2('bad')}::numeric, 1) || ' m² of ' || o.name || ' without editing its grids there' AS message,
             ST_AsGeoJSON(bad, 7)::json AS place
      FROM edit_plan p
      JOIN regions o ON o.kind = 'village' AND o.id <> p.village_id AND o.geom && p.new_geom
      CROSS JOIN LATERAL (
        SELECT ST_Difference(ST_Intersection(p.new_geom, o.geom),
               coalesce((SELECT ST_Union(q.old_geom) FROM edit_plan q WHERE q.old_geom IS NOT NULL), ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, 4326))) AS bad) x
      WHERE p.new_geom IS NOT NULL AND NOT ST_IsEmpty(bad) AND ${sliverM2('bad')} > $1`, [RULES.gapToleranceM2]],
    [`
      SELECT p.grid_id, p.code, 'no_overlap' AS rule, o.id AS other,
             round(${sliverM2('i')}::numeric, 2) || ' m² overlap with grid ' || o.code AS message, ST_AsGeoJSON(i, 7)::json AS place
      FROM edit_plan p
      JOIN LATERAL (
        SELECT g.id, g.code, g.geom FROM grids g WHERE g.geom && p.new_geom AND NOT g.id = ANY($1::int[])
        UNION ALL
        SELECT q.grid_id, q.code, q.new_geom FROM edit_plan q WHERE q.key > p.key AND q.new_geom && p.new_geom
      ) o ON true
      CROSS JOIN LATERAL (SELECT ST_Intersection(p.new_geom, o.geom) AS i) x
      WHERE p.new_geom IS NOT NULL AND ST_Relate(p.new_geom, o.geom, '2********') AND ${sliverM2('i')} > $2`, [touched, RULES.overlapToleranceM2]],
    [`
      SELECT NULL::int AS grid_id, NULL AS code, 'no_gap' AS rule,
             round(${sliverM2('d')}::numeric, 1) || ' m² left uncovered' AS message, ST_AsGeoJSON(d, 7)::json AS place
      FROM (SELECT ST_Difference(ST_Union(old_geom), coalesce(ST_Union(new_geom), ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, 4326))) AS d FROM edit_plan) x
      WHERE d IS NOT NULL AND NOT ST_IsEmpty(d) AND ${sliverM2('d')} > $1`, [RULES.gapToleranceM2]],
    [`
      SELECT grid_id, code, rule, message, place FROM (
        SELECT p.grid_id, p.code, 'min_area' AS rule,
               round(ST_Area(p.new_geom::geography)::numeric) || ' m² is below the minimum ' || $1::float8 || ' m²' AS message,
               ST_AsGeoJSON(ST_PointOnSurface(p.new_geom), 7)::json AS place
        FROM edit_plan p WHERE p.new_geom IS NOT NULL AND ST_Area(p.new_geom::geography) < $1::float8
        UNION ALL
        SELECT p.grid_id, p.code, 'min_width',
               'narrowest part ' || round((2 * c.radius)::numeric, 1) || ' m wide, minimum ' || $2::float8 || ' m',
               ST_AsGeoJSON(ST_Transform(c.center, 4326), 7)::json
        FROM edit_plan p CROSS JOIN LATERAL ST_MaximumInscribedCircle(ST_Transform(p.new_geom, 32650)) c
        WHERE p.new_geom IS NOT NULL AND 2 * c.radius < $2::float8) s`, [RULES.minAreaM2, RULES.minWidthM]],
    [`
      SELECT NULL::int AS grid_id, v.code, 'village_not_empty' AS rule, v.name || ' would have no grid left' AS message, NULL::json AS place
      FROM regions v WHERE v.kind = 'village'
        AND v.id IN (SELECT g.village_id FROM grids g JOIN edit_plan p ON p.grid_id = g.id)
        AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.village_id = v.id AND g.id NOT IN (SELECT grid_id FROM edit_plan WHERE grid_id IS NOT NULL))
        AND NOT EXISTS (SELECT 1 FROM edit_plan p WHERE p.village_id = v.id AND p.op <> 'retire')`, []],
  ];
  for (const [sql, params] of rules) add((await client.query(sql, params)).rows);
  return out;
}
