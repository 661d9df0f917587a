// GET /api/config — settings the client needs before drawing: base map and local time zone.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';

export const ClientConfig = Type.Object({
  /** An online MapLibre style to use instead of the offline base map (BASEMAP_STYLE_URL). */
  basemapStyleUrl: Type.Union([Type.String(), Type.Null()]),
  /** Coordinate system of that base map: gcj02 for AMap / Tencent tiles (our data is WGS84 and is shifted onto them). */
  basemapCrs: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02')]),
  timezone: Type.String({ examples: ['Asia/Shanghai'] }),
  /** The demo dataset is generated: the UI says so. */
  demoData: Type.Boolean(),
});
export type ClientConfig = Static<typeof ClientConfig>;

export interface ClientConfigOptions { basemapStyleUrl?: string; basemapCrs?: 'wgs84' | 'gcj02' }

const clientConfigRoutes: FastifyPluginAsyncTypebox<ClientConfigOptions> = async (app, opts) => {
  app.get('/api/config', {
    schema: { tags: ['system'], summary: 'Client settings: base map and time zone', response: { 200: ClientConfig } },
  }, async () => {
    const { rows } = await app.db.pool.query(`SELECT 1 FROM dataset_info WHERE key = 'seed'`);
    return {
      basemapStyleUrl: opts.basemapStyleUrl ?? null,
      basemapCrs: opts.basemapCrs ?? 'wgs84',
      timezone: app.timezone,
      demoData: rows.length > 0,
    };
  });
};

export default clientConfigRoutes;
