// GET /api/basemap — roads and water of the demo data for the offline base map.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ResponseCache, revisionKey, sendCached, passThroughSerializer } from '../http/cache.js';

const BASEMAP_SQL = `
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', id, 'geometry', ST_AsGeoJSON(geom, 5)::json,
  'properties', json_build_object('kind', kind, 'class', class, 'name', name)) ORDER BY kind DESC, id), '[]'::json))::text AS body
FROM basemap_features`;

const basemapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new ResponseCache();
  app.get('/api/basemap', {
    schema: {
      tags: ['map'],
      summary: 'Roads and water drawn by the offline base map (generated demo data)',
      response: { 200: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Any()) }) },
    },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const key = await revisionKey(app.db.pool, ['basemap']);
    const body = await cache.get('all', key, 'application/geo+json', async () =>
      (await app.db.pool.query<{ body: string }>(BASEMAP_SQL)).rows[0].body);
    return sendCached(request, reply, body);
  });
};

export default basemapRoutes;
