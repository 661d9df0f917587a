// Editing the grid coverage (editors): change sets, split, merge, move to another village, new
// grid over an uncovered area, revert; history, the coverage check, export and import for QGIS.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type pg from 'pg';
import {
  ChangeResult, ChangeSetBody, CreateGridBody, GridRevertBody, HistoryEntry, MergeBody, ReassignBody, RevertBody, SplitBody,
} from '../schemas/gridEdits.js';
import { ErrorResponse } from '../schemas/errors.js';
import { applyPlan, nextGridCodes, RULES, sliverM2, type Actor, type PlanItem } from '../domain/gridEdits.js';
import { checkPolygon, checkLine } from '../domain/geojsonChecks.js';
import { HttpError } from '../http/errors.js';
import { withTransaction } from '../db/pool.js';

const GridIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const NoParams = Type.Object({});
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse };

const gridEditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const editor = app.requireRole('editor');
  const actor = (request: FastifyRequest): Actor => ({ userId: request.user!.id, name: request.user!.username, ip: request.ip });

  /** One transaction per request; a dry run is rolled back. Tells live screens after a commit. */
  async function inTransaction(dryRun: boolean | undefined, fn: (c: pg.PoolClient) => Promise<ChangeResult>): Promise<ChangeResult> {
    const result = await withTransaction(app.db.pool, fn, { rollback: dryRun });
    if (!dryRun) {
      app.live?.hub.io.emit('grids-changed', { changeSetId: result.changeSetId, grids: result.grids.map((g) => ({ id: g.id, change: g.change, version: g.toVersion })) });
      void app.live?.grids.refresh();
    }
    return result;
  }

  const route = { preHandler: editor };
  const write = <B extends TSchema, P extends TSchema = typeof NoParams>(summary: string, body: B, params?: P) => ({
    tags: ['grid editing'], summary, body, params: (params ?? NoParams) as P, response: { 200: ChangeResult, ...errors },
  });

  app.post('/api/grids/changes', { ...route, schema: write('Save a change set: the grids touched, each with the version it was edited from', ChangeSetBody) },
    async (request) => {
      const b = request.body;
      b.changes.forEach((c, i) => checkPolygon(c.geometry, `changes.${i}.geometry`));
      const ids = b.changes.map((c) => c.id);
      if (new Set(ids).size !== ids.length) throw new HttpError(400, 'changes: a grid appears twice', 'changes');
      const plan: PlanItem[] = b.changes.map((c) => ({ op: 'change', id: c.id, baseVersion: c.baseVersion, geometry: JSON.stringify(c.geometry) }));
      return inTransaction(b.dryRun, (c) => applyPlan(c, plan, { kind: 'edit', reason: b.reason, actor: actor(request), dryRun: b.dryRun }));
    });

  app.post('/api/grids/:id/split', { ...route, schema: write('Split a grid along a line into two new grids', SplitBody, GridIdParams) },
    async (request) => {
      const b = request.body;
      checkLine(b.line, 'line');
      return inTransaction(b.dryRun, async (c) => {
        const { rows } = await c.query(`
          SELECT g.village_id, g.kind, g.name, ST_NumGeometries(s) AS n,
                 (SELECT json_agg(ST_AsGeoJSON(d.geom)::text ORDER BY ST_Area(d.geom) DESC) FROM ST_Dump(s) d) AS parts
          FROM grids g, LATERAL (SELECT ST_Split(g.geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) AS s) x WHERE g.id = $1`,
        [request.params.id, JSON.stringify(b.line)]);
        if (!rows.length) throw new HttpError(404, `grid ${request.params.id} not found`, 'id');
        const g = rows[0];
        if (g.n !== 2) throw new HttpError(422, `line: must cut the grid into exactly two parts, it makes ${g.n}`, 'line');
        const codes = await nextGridCodes(c, g.village_id, 2);
        const names = b.names ?? [`${g.name}-1`, `${g.name}-2`];
        const plan: PlanItem[] = [0, 1].map((i) => ({ op: 'create' as const, key: String(i), geometry: g.parts[i], villageId: g.village_id, code: codes[i], name: names[i], kind: g.kind }));
        plan.push({ op: 'retire', id: request.params.id, baseVersion: b.baseVersion, workersTo: '0' });
        const result = await applyPlan(c, plan, { kind: 'split', reason: b.reason, actor: actor(request), dryRun: b.dryRun });
        // Workers chosen for the second part move there (the rest went to the first, larger part).
        const second = result.grids.find((x) => x.code === codes[1])!;
        const movers = Object.entries(b.workers ?? {}).filter(([, part]) => part === 1).map(([id]) => Number(id));
        if (movers.length) await c.query('UPDATE workers SET grid_id = $1 WHERE id = ANY($2::int[]) AND grid_id = $3', [second.id, movers, result.grids.find((x) => x.code === codes[0])!.id]);
        return result;
      });
    });

  app.post('/api/grids/merge', { ...route, schema: write('Merge two or more adjacent grids of one village into one', MergeBody) },
    async (request) => {
      const b = request.body;
      const ids = b.grids.map((g) => g.id);
      if (new Set(ids).size !== ids.length) throw new HttpError(400, 'grids: a grid appears twice', 'grids');
      return inTransaction(b.dryRun, async (c) => {
        const { rows: [m] } = await c.query(`
          SELECT count(*)::int AS n, count(DISTINCT village_id)::int AS villages, ST_AsGeoJSON(ST_Union(geom))::text AS geom,
                 ST_GeometryType(ST_Union(geom)) AS type
          FROM grids WHERE id = ANY($1::int[])`, [ids]);
        if (m.n !== ids.length) throw new HttpError(404, 'grids: some grids were not found', 'grids');
        if (m.villages !== 1) throw new HttpError(422, 'grids: only grids of the same village can be merged', 'grids');
        if (m.type !== 'ST_Polygon') throw new HttpError(422, 'grids: the grids are not adjacent (their union is not one polygon)', 'grids');
        const [keep, ...rest] = b.grids;
        const plan: PlanItem[] = [{ op: 'change', id: keep.id, baseVersion: keep.baseVersion, geometry: m.geom, ...(b.name ? { name: b.name } : {}) }];
        for (const r of rest) plan.push({ op: 'retire', id: r.id, baseVersion: r.baseVersion, workersTo: keep.id });
        return applyPlan(c, plan, { kind: 'merge', reason: b.reason, actor: actor(request), dryRun: b.dryRun });
      });
    });

  app.post('/api/grids/:id/reassign', { ...route, schema: write('Move a grid to another village (its code follows the village)', ReassignBody, GridIdParams) },
    async (request) => {
      const b = request.body;
      return inTransaction(b.dryRun, async (c) => {
        const { rows } = await c.query(`SELECT id FROM regions WHERE code = $1 AND kind = 'village'`, [b.villageCode]);
        if (!rows.length) throw new HttpError(400, `villageCode: no village with code ${b.villageCode}`, 'villageCode');
        const [code] = await nextGridCodes(c, rows[0].id, 1);
        const plan: PlanItem[] = [{ op: 'change', id: request.params.id, baseVersion: b.baseVersion, villageId: rows[0].id, code }];
        return applyPlan(c, plan, { kind: 'reassign', reason: b.reason, actor: actor(request), dryRun: b.dryRun });
      });
    });

  app.post('/api/grids', { ...route, schema: write('Draw a new grid over an uncovered area; it is cut out of the grids it overlaps', CreateGridBody) },
    async (request) => {
      const b = request.body;
      checkPolygon(b.geometry, 'geometry');
      return inTransaction(b.dryRun, async (c) => {
        const { rows: v } = await c.query(`SELECT id, name FROM regions WHERE code = $1 AND kind = 'village'`, [b.villageCode]);
        if (!v.length) throw new HttpError(400, `villageCode: no village with code ${b.villageCode}`, 'villageCode');
        const drawn = JSON.stringify(b.geometry);
        // The neighbours it overlaps give up that area (locked, at their current version).
        const { rows: cut } = await c.query(`
          SELECT g.id, g.version, ST_AsGeoJSON(ST_Difference(g.geom, d.geom))::text AS geom
          FROM grids g, (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom) d
          WHERE ST_IsValid(d.geom) AND g.geom && d.geom AND ST_Relate(g.geom, d.geom, '2********')
          ORDER BY g.id FOR UPDATE OF g`, [drawn]);
        const [code] = await nextGridCodes(c, v[0].id, 1);
        const plan: PlanItem[] = [{
          op: 'create', key: '0', villageId: v[0].id, code, kind: b.kind ?? 'rural',
          name: b.name ?? `${String(v[0].name).replace(/(居民委员会|村民委员会|委员会)$/, '')}第${Number(code.split('-')[1])}网格`,
          geometry: (await c.query(`SELECT ST_AsGeoJSON(ST_Intersection(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), c.geom))::text AS g
                                    FROM regions c WHERE c.kind = 'county' AND ST_IsValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))`, [drawn])).rows[0]?.g ?? drawn,
        }];
        for (const n of cut) plan.push({ op: 'change', id: n.id, baseVersion: n.version, geometry: n.geom });
        return applyPlan(c, plan, { kind: 'create', reason: b.reason, actor: actor(request), dryRun: b.dryRun });
      });
    });

  app.post('/api/grids/:id/revert', { ...route, schema: write('Revert a grid to an earlier version (a new change, validated like any other)', GridRevertBody, GridIdParams) },
    async (request) => {
      const b = request.body;
      return inTransaction(b.dryRun, async (c) => {
        const { rows } = await c.query(`SELECT ST_AsGeoJSON(geom)::text AS g, village_id, code, name FROM grid_versions WHERE grid_id = $1 AND version = $2`, [request.params.id, b.toVersion]);
        if (!rows.length) throw new HttpError(404, `toVersion: grid ${request.params.id} has no version ${b.toVersion}`, 'toVersion');
        const r = rows[0];
        const plan: PlanItem[] = [{ op: 'change', id: request.params.id, baseVersion: b.baseVersion, geometry: r.g, villageId: r.village_id, code: r.code, name: r.name }];
        return applyPlan(c, plan, { kind: 'revert', reason: b.reason, actor: actor(request), dryRun: b.dryRun });
      });
    });

  app.post('/api/grids/changes/:id/revert', {
    ...route,
    schema: write('Revert a whole change set: every grid it touched goes back to its version before it', RevertBody,
      Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) })),
  }, async (request) => {
    const b = request.body;
    return inTransaction(b.dryRun, async (c) => {
      const { rows: [cs] } = await c.query('SELECT id, kind, summary FROM grid_change_sets WHERE id = $1', [request.params.id]);
      if (!cs) throw new HttpError(404, `change set ${request.params.id} not found`, 'id');
      const plan: PlanItem[] = [];
      for (const g of cs.summary as Array<{ id: number; change: string; fromVersion: number | null; toVersion: number | null }>) {
        if (g.change === 'changed') {
          const { rows: [v] } = await c.query('SELECT ST_AsGeoJSON(geom)::text AS g, village_id, code, name FROM grid_versions WHERE grid_id = $1 AND version = $2', [g.id, g.fromVersion]);
          plan.push({ op: 'change', id: g.id, baseVersion: g.toVersion!, geometry: v.g, villageId: v.village_id, code: v.code, name: v.name });
        } else if (g.change === 'created') {
          plan.push({ op: 'retire', id: g.id, baseVersion: g.toVersion!, workersTo: -1 });
        } else {
          throw new HttpError(422, `change set ${cs.id} retired grids (${cs.kind}); revert it with the inverse operation instead`, 'id');
        }
      }
      const created = plan.filter((p) => p.op === 'retire');
      const survivor = plan.find((p) => p.op === 'change');
      if (created.length && !survivor) throw new HttpError(422, `change set ${cs.id} only created grids; merge them instead`, 'id');
      for (const p of created) if (p.op === 'retire') p.workersTo = (survivor as { id: number }).id;
      return applyPlan(c, plan, { kind: 'revert', reason: b.reason, actor: actor(request), dryRun: b.dryRun, reverts: cs.id });
    });
  });

  app.get('/api/grids/:id/history', {
    schema: { tags: ['grid editing'], summary: 'Every version of a grid: geometry, who, when, why', params: GridIdParams, response: { 200: Type.Array(HistoryEntry), 404: ErrorResponse } },
  }, async (request) => {
    const { rows } = await app.db.pool.query(`
      SELECT v.version, v.code, v.name, r.code AS "villageCode", v.valid_from AS "validFrom", v.valid_to AS "validTo",
             v.changed_by AS "changedBy", v.reason, v.change_set_id AS "changeSetId",
             round(ST_Area(v.geom::geography)::numeric, 1)::float8 AS "areaM2", ST_AsGeoJSON(v.geom, 7)::json AS geometry
      FROM grid_versions v JOIN regions r ON r.id = v.village_id WHERE v.grid_id = $1 ORDER BY v.version`, [request.params.id]);
    if (!rows.length) throw new HttpError(404, `grid ${request.params.id} has no history`, 'id');
    return rows.map((r) => ({ ...r, changeSetId: r.changeSetId === null ? null : Number(r.changeSetId), validFrom: r.validFrom.toISOString(), validTo: r.validTo?.toISOString() ?? null }));
  });

  app.get('/api/grids/coverage', {
    schema: {
      tags: ['grid editing'], summary: 'Gaps and overlaps in the current coverage of the county (both empty when healthy)',
      response: { 200: Type.Object({
        grids: Type.Integer(), countyAreaM2: Type.Number(), coveredAreaM2: Type.Number(),
        gaps: Type.Array(Type.Object({ areaM2: Type.Number(), geometry: Type.Any() })),
        overlaps: Type.Array(Type.Object({ a: Type.String(), b: Type.String(), areaM2: Type.Number(), geometry: Type.Any() })),
      }) },
    },
  }, async () => {
    const { rows: [r] } = await app.db.pool.query(`
      WITH u AS (SELECT ST_Union(geom) AS geom, count(*)::int AS n FROM grids),
      c AS (SELECT geom FROM regions WHERE kind = 'county')
      SELECT u.n, ST_Area(c.geom::geography) AS county, ST_Area(u.geom::geography) AS covered,
        (SELECT coalesce(json_agg(json_build_object('areaM2', round(${sliverM2('d.geom')}::numeric, 1), 'geometry', ST_AsGeoJSON(d.geom, 7)::json)), '[]'::json)
           FROM ST_Dump(ST_Difference(c.geom, u.geom)) d WHERE ${sliverM2('d.geom')} > $1) AS gaps
      FROM u, c`, [RULES.gapToleranceM2]);
    const { rows: overlaps } = await app.db.pool.query(`
      SELECT a, b, round(${sliverM2('i')}::numeric, 2)::float8 AS "areaM2", ST_AsGeoJSON(i, 7)::json AS geometry
      FROM (SELECT a.code AS a, b.code AS b, ST_Intersection(a.geom, b.geom) AS i
            FROM grids a JOIN grids b ON a.id < b.id AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')) x
      WHERE ${sliverM2('i')} > $1`, [RULES.overlapToleranceM2]);
    return { grids: r.n, countyAreaM2: Math.round(r.county), coveredAreaM2: Math.round(r.covered), gaps: r.gaps, overlaps };
  });

  app.get('/api/grids/coverage.geojson', {
    schema: { tags: ['grid editing'], summary: 'The whole coverage as GeoJSON (7 decimals) for work in QGIS; re-import with POST /api/grids/import' },
  }, async (_request, reply) => {
    const { rows: [r] } = await app.db.pool.query(`
      SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(json_build_object('type', 'Feature', 'id', g.id,
        'geometry', ST_AsGeoJSON(g.geom, 7)::json,
        'properties', json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'village_code', v.code, 'kind', g.kind, 'version', g.version))
        ORDER BY g.code))::text AS body
      FROM grids g JOIN regions v ON v.id = g.village_id`);
    return reply.type('application/geo+json').header('Content-Disposition', 'attachment; filename="grids.geojson"').send(r.body);
  });

  app.post('/api/grids/import', {
    ...route,
    bodyLimit: 20 * 1024 * 1024,
    schema: {
      tags: ['grid editing'],
      summary: 'Import an edited coverage (GeoJSON from QGIS): grids whose geometry changed become one change set, validated like an edit',
      querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: true })), reason: Type.String({ minLength: 2, maxLength: 500 }) }),
      body: Type.Object({
        type: Type.Literal('FeatureCollection'),
        features: Type.Array(Type.Object({
          type: Type.Literal('Feature'),
          geometry: Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Any() }),
          properties: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), version: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: true }),
        }, { additionalProperties: true }), { maxItems: 5000 }),
      }, { additionalProperties: true }),
      response: { 200: ChangeResult, ...errors },
    },
  }, async (request) => {
    const dryRun = request.query.dryRun ?? true;
    const features = request.body.features;
    features.forEach((f, i) => checkPolygon(f.geometry as never, `features.${i}.geometry`));
    return inTransaction(dryRun, async (c) => {
      // Only grids whose geometry differs from what is stored are part of the change.
      const { rows } = await c.query<{ id: number }>(`
        SELECT u.id FROM unnest($1::int[], $2::text[]) AS u(id, g) JOIN grids g ON g.id = u.id
        WHERE NOT ST_Equals(ST_SnapToGrid(g.geom, 1e-7), ST_SnapToGrid(ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326), 1e-7))`,
      [features.map((f) => f.properties.id), features.map((f) => JSON.stringify(f.geometry))]);
      const changed = new Set(rows.map((r) => r.id));
      const plan: PlanItem[] = features.filter((f) => changed.has(f.properties.id))
        .map((f) => ({ op: 'change', id: f.properties.id, baseVersion: f.properties.version, geometry: JSON.stringify(f.geometry) }));
      if (!plan.length) return { changeSetId: null, dryRun, grids: [] };
      return applyPlan(c, plan, { kind: 'import', reason: request.query.reason, actor: actor(request), dryRun });
    });
  });
};

export default gridEditRoutes;
