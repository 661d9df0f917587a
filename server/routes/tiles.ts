// Mapbox vector tiles of the grids, regions (townships + villages), cameras and incidents:
// GET /tiles/{layer}/{z}/{x}/{y}.mvt and TileJSON at GET /tiles/{layer}.json. Tiles come from
// PostGIS ST_AsMVT (or the JS encoder on the embedded database) and are kept in an LRU cache keyed by
// the data revision of the layer's tables, so an accepted edit shows in the next tile request.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { badRequest, HttpError } from '../http/errors.js';
import { revisionKey } from '../http/cache.js';
import { parseDatetime } from '../ogc/datetime.js';
import { columnNames, TILE_LAYERS, type TileLayer } from '../tiles/layers.js';
import { detectEncoder, renderTile, type Encoder } from '../tiles/render.js';
import { TileCache, type CachedTile } from '../tiles/cache.js';

const gzip = promisify(zlib.gzip);
export const MVT_TYPE = 'application/vnd.mapbox-vector-tile';
const INCIDENT_TTL_MS = 15_000;
const DAY_MS = 86_400_000;
const LAYER_IDS = Object.keys(TILE_LAYERS);

export interface TilesOptions {
  /** Bytes of tiles kept in memory (0 disables the cache). Default 64 MB. */
  cacheBytes?: number;
  /** Force an encoder; default: detected once at startup. */
  encoder?: Encoder;
}

function intParam(field: string, text: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(text)) throw badRequest(field, `"${text.slice(0, 20)}" is not a non-negative integer`);
  const n = Number(text);
  if (n < min || n > max) throw badRequest(field, `${n} is outside ${min}..${max}`);
  return n;
}

function layerOr404(id: string): TileLayer {
  const layer = TILE_LAYERS[id];
  if (!layer) throw new HttpError(404, `tile layer ${id.slice(0, 40)} not found; layers: ${LAYER_IDS.join(', ')}`, 'layer');
  return layer;
}

const tilesRoutes: FastifyPluginAsyncTypebox<TilesOptions> = async (app, opts) => {
  const encoder: Encoder = opts.encoder ?? await detectEncoder(app.db.pool);
  const cache = new TileCache(opts.cacheBytes ?? 64 * 1024 * 1024);
  app.log.info({ encoder }, 'vector tiles');

  app.get('/tiles/:layer/:z/:x/:file', {
    schema: {
      tags: ['map'],
      summary: 'Mapbox vector tile (MVT) of a layer: grids, regions (townships + villages), cameras, incidents',
      description: 'Web Mercator XYZ tile; 204 when the tile has no features. Incidents: the last 30 days unless `datetime` is given.',
      params: Type.Object({
        layer: Type.String({ description: LAYER_IDS.join(', '), examples: ['grids'] }),
        z: Type.String({ description: 'zoom 0..22', examples: ['10'] }),
        x: Type.String({ description: 'column 0..2^z-1', examples: ['849'] }),
        file: Type.String({ description: 'row 0..2^z-1 followed by .mvt', examples: ['408.mvt'] }),
      }),
      querystring: Type.Object({
        datetime: Type.Optional(Type.String({ description: 'incidents only: RFC 3339 instant or interval start/end (".." open)', examples: ['2026-11-01T00:00:00Z/..'] })),
      }),
      response: {
        200: Type.Unknown({ description: 'application/vnd.mapbox-vector-tile' }),
        204: Type.Null({ description: 'empty tile' }),
        304: Type.Null({ description: 'not modified (If-None-Match)' }),
      },
    },
  }, async (request, reply) => {
    const layer = layerOr404(request.params.layer);
    const z = intParam('z', request.params.z, 0, 22);
    const max = 2 ** z - 1;
    const x = intParam('x', request.params.x, 0, max);
    const m = /^(.*)\.mvt$/.exec(request.params.file);
    if (!m) throw new HttpError(404, `no route GET ${request.url.split('?')[0]} (tiles end in .mvt)`, 'y');
    const y = intParam('y', m[1], 0, max);
    let start: Date | undefined;
    let end: Date | undefined;
    const dt = request.query.datetime;
    if (layer.timed) {
      const w = dt === undefined ? { start: new Date(Date.now() - 30 * DAY_MS), end: new Date(Date.now() + 60_000) } : parseDatetime(dt);
      start = w.start ?? new Date(0);
      end = w.end ?? new Date(Date.UTC(9999, 0, 1));
    } else if (dt !== undefined) {
      throw badRequest('datetime', `layer ${layer.id} has no time`);
    }

    let tile: CachedTile | undefined;
    let key = '';
    if (cache.maxBytes > 0) {
      const rev = layer.revisions ? await revisionKey(app.db.pool, layer.revisions) : '';
      key = `${layer.id}/${z}/${x}/${y}|${rev}|${dt ?? ''}`;
      tile = cache.get(key);
    }
    if (!tile) {
      const body = await renderTile(app.db.pool, layer, { z, x, y, start, end }, encoder);
      tile = {
        body, gzip: null,
        etag: `"${crypto.createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`,
        expires: layer.revisions ? Infinity : Date.now() + INCIDENT_TTL_MS,
      };
      if (key) cache.set(key, tile);
    }
    reply.header('X-Tile-Encoder', encoder).header('Vary', 'Accept-Encoding')
      .header('Cache-Control', layer.revisions ? 'no-cache' : `max-age=${INCIDENT_TTL_MS / 1000}`);
    if (!tile.body.length) return reply.code(204).send(null);
    reply.header('ETag', tile.etag).type(MVT_TYPE);
    if (request.headers['if-none-match'] === tile.etag) return reply.code(304).send(null);
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? '')) && tile.body.length > 512) {
      if (!tile.gzip) tile.gzip = await gzip(tile.body, { level: 6 });
      return reply.header('Content-Encoding', 'gzip').send(tile.gzip);
    }
    return reply.send(tile.body);
  });

  let bounds: number[] | null = null;
  app.get('/tiles/:tilejson', {
    schema: {
      tags: ['map'],
      summary: 'TileJSON 3.0 of a tile layer (e.g. /tiles/grids.json)',
      params: Type.Object({ tilejson: Type.String({ description: 'layer name followed by .json', examples: ['grids.json'] }) }),
      response: { 200: Type.Object({
        tilejson: Type.String(), name: Type.String(), tiles: Type.Array(Type.String()), minzoom: Type.Integer(), maxzoom: Type.Integer(),
        bounds: Type.Array(Type.Number()), center: Type.Array(Type.Number()), scheme: Type.String(),
        vector_layers: Type.Array(Type.Object({ id: Type.String(), fields: Type.Record(Type.String(), Type.String()), minzoom: Type.Integer(), maxzoom: Type.Integer() })),
      }, { examples: [{ tilejson: '3.0.0', name: 'grids', tiles: ['http://localhost:3000/tiles/grids/{z}/{x}/{y}.mvt'], minzoom: 0, maxzoom: 22, bounds: [118.4, 34.3, 119.12, 34.8], center: [118.76, 34.52, 10], scheme: 'xyz', vector_layers: [{ id: 'grids', fields: { code: 'String' }, minzoom: 0, maxzoom: 22 }] }] }) },
    },
  }, async (request) => {
    const m = /^(.+)\.json$/.exec(request.params.tilejson);
    if (!m) throw new HttpError(404, `no route GET ${request.url.split('?')[0]}`, 'layer');
    const layer = layerOr404(m[1]);
    if (!bounds) {
      const { rows: [r] } = await app.db.pool.query(`SELECT ST_XMin(e) AS a, ST_YMin(e) AS b, ST_XMax(e) AS c, ST_YMax(e) AS d FROM (SELECT ST_Extent(geom)::box2d AS e FROM regions WHERE kind = 'county') x`);
      bounds = r.a === null ? [-180, -85.05, 180, 85.05] : [r.a, r.b, r.c, r.d].map((v: number, i: number) => Math.round(v * 1e4 + (i < 2 ? -1 : 1)) / 1e4);
    }
    const base = `${request.protocol}://${request.host}`;
    return {
      tilejson: '3.0.0',
      name: layer.id,
      description: layer.title,
      tiles: [`${base}/tiles/${layer.id}/{z}/{x}/{y}.mvt`],
      minzoom: layer.minzoom,
      maxzoom: layer.maxzoom,
      bounds,
      center: [118.76, 34.52, 10],
      scheme: 'xyz',
      vector_layers: layer.layers.map((l) => ({
        id: l.name,
        fields: Object.fromEntries(columnNames(l).map((c) => [c, /priority|version|heading|fov|range_m/.test(c) ? 'Number' : 'String'])),
        minzoom: layer.minzoom, maxzoom: layer.maxzoom,
      })),
    };
  });
};

export default tilesRoutes;
