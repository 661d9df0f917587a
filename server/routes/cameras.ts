// GET /api/cameras — every camera with kind, status, heading and field of view.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { Feature, FeatureCollection, PointGeometry } from '../schemas/geojson.js';
import { ResponseCache, revisionKey, sendCached, passThroughSerializer } from '../http/cache.js';

export const CameraProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('xueliang'), Type.Literal('cuncuntong'), Type.Literal('public')]),
  status: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
  heading: Type.Number({ description: 'degrees clockwise from north' }),
  fov: Type.Number({ description: 'horizontal field of view, degrees' }),
  rangeM: Type.Number(),
  streamUrl: Type.Union([Type.String(), Type.Null()]),
  gridCode: Type.Union([Type.String(), Type.Null()]),
});
export const CameraCollection = FeatureCollection(Feature(PointGeometry, CameraProperties));
export type CameraProperties = Static<typeof CameraProperties>;
export type CameraCollection = Static<typeof CameraCollection>;

const CAMERAS_SQL = `
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', c.id, 'geometry', ST_AsGeoJSON(c.geom, 6)::json,
  'properties', json_build_object('id', c.id, 'code', c.code, 'name', c.name, 'kind', c.kind, 'status', c.status,
     'heading', c.heading, 'fov', c.fov, 'rangeM', c.range_m, 'streamUrl', c.stream_url, 'gridCode', g.code)
) ORDER BY c.id), '[]'::json))::text AS body
FROM cameras c LEFT JOIN grids g ON g.id = c.grid_id`;

const camerasRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new ResponseCache();
  app.get('/api/cameras', {
    schema: { tags: ['cameras'], summary: 'All cameras (雪亮工程 / 村村通 / 社会面)', response: { 200: CameraCollection } },
    serializerCompiler: passThroughSerializer,
  }, async (request, reply) => {
    const key = await revisionKey(app.db.pool, ['cameras', 'grids']);
    const body = await cache.get('all', key, 'application/geo+json', async () =>
      (await app.db.pool.query<{ body: string }>(CAMERAS_SQL)).rows[0].body);
    return sendCached(request, reply, body);
  });
};

export default camerasRoutes;
