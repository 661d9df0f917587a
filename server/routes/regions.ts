// GET /api/regions — county, township and village areas with names and label points.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RegionCollection, RegionsQuery } from '../schemas/regions.js';
import { ResponseCache, revisionKey, sendCached } from '../http/cache.js';

export const REGIONS_SQL = `
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(s.f ORDER BY s.code), '[]'::json))::text AS body
FROM (
  SELECT r.code, json_build_object(
    'type', 'Feature',
    'id', r.id,
    'geometry', ST_AsGeoJSON(r.geom, 6)::json,
    'properties', json_build_object(
      'code', r.code, 'name', r.name, 'kind', r.kind, 'subtype', r.subtype, 'parentCode', p.code,
      'label', json_build_array(round(ST_X(r.label_point)::numeric, 6), round(ST_Y(r.label_point)::numeric, 6)),
      'areaKm2', round((r.area_m2 / 1e6)::numeric, 3))) AS f
  FROM regions r LEFT JOIN regions p ON p.id = r.parent_id
  WHERE $1::text IS NULL OR r.kind = $1
) s`;

const regionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new ResponseCache();
  app.get('/api/regions', {
    schema: {
      tags: ['regions'],
      summary: 'Administrative areas: the county, its 21 townships and 373 villages/communities',
      querystring: RegionsQuery,
      response: { 200: RegionCollection },
    },
    serializerCompiler: () => (data) => (typeof data === 'string' ? data : JSON.stringify(data)),
  }, async (request, reply) => {
    const level = request.query.level ?? null;
    const key = await revisionKey(app.db.pool, ['regions']);
    const body = await cache.get(level ?? 'all', key, 'application/geo+json', async () =>
      (await app.db.pool.query<{ body: string }>(REGIONS_SQL, [level])).rows[0].body);
    return sendCached(request, reply, body);
  });
};

export default regionsRoutes;
