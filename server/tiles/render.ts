// Renders one vector tile: PostGIS ST_AsMVT when the database has protobuf support, otherwise the
// same rows (geometry already in tile units) encoded in JavaScript with vt-pbf.
import type pg from 'pg';
import vtpbf, { type TileFeature } from 'vt-pbf';
import { columnNames, EXTENT, jsSql, mvtSql, type SubLayer, type TileLayer } from './layers.js';

export type Encoder = 'postgis' | 'js';

/** Tries ST_AsMVT once: PGlite's PostGIS is built without protobuf ("protobuf-c" in the error). */
export async function detectEncoder(pool: pg.Pool): Promise<Encoder> {
  try {
    await pool.query(`SELECT ST_AsMVT(t.*, 'probe') FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0, 3857), ST_TileEnvelope(0, 0, 0)) AS geom) t`);
    return 'postgis';
  } catch (err) {
    if (/protobuf/i.test(String((err as Error).message))) return 'js';
    throw err;
  }
}

const mvtTexts = new Map<string, string>();
const mvtText = (layer: TileLayer) => {
  let text = mvtTexts.get(layer.id);
  if (!text) mvtTexts.set(layer.id, text = mvtSql(layer));
  return text;
};

export interface TileRequest { z: number; x: number; y: number; start?: Date; end?: Date }

function params(layer: TileLayer, t: TileRequest): unknown[] {
  return layer.timed ? [t.z, t.x, t.y, t.start, t.end] : [t.z, t.x, t.y];
}

export async function renderTile(pool: pg.Pool, layer: TileLayer, t: TileRequest, encoder: Encoder): Promise<Buffer> {
  if (encoder === 'postgis') {
    // A named statement: each pooled connection parses and plans a layer's tile query once, which at
    // street zoom is a good part of the whole query's time.
    const { rows } = await pool.query<{ mvt: Buffer }>({ name: `mvt_${layer.id}`, text: mvtText(layer), values: params(layer, t) });
    return rows[0].mvt;
  }
  const layers: Record<string, { features: TileFeature[] }> = {};
  const results = await Promise.all(layer.layers.map((l) => pool.query(jsSql(l), params(layer, t))));
  layer.layers.forEach((l, i) => {
    const features = results[i].rows.map((r) => toFeature(l, r)).filter((f): f is TileFeature => f !== null);
    if (features.length) layers[l.name] = { features };
  });
  if (!Object.keys(layers).length) return Buffer.alloc(0);
  return Buffer.from(vtpbf.fromGeojsonVt(layers, { version: 2, extent: EXTENT }));
}

type Pos = [number, number];
interface TileGeoJSON { type: string; coordinates: unknown }

function toFeature(l: SubLayer, row: Record<string, unknown>): TileFeature | null {
  const g = JSON.parse(row.geojson as string) as TileGeoJSON;
  const tags: Record<string, string | number | boolean> = {};
  for (const name of columnNames(l)) {
    const v = row[name];
    if (v === null || v === undefined) continue;
    tags[name] = typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
  }
  const id = Number(row.id);
  switch (g.type) {
    case 'Point': return { id, type: 1, geometry: [g.coordinates as Pos], tags };
    case 'MultiPoint': return { id, type: 1, geometry: g.coordinates as Pos[], tags };
    case 'Polygon': return { id, type: 3, geometry: g.coordinates as Pos[][], tags };
    case 'MultiPolygon': return { id, type: 3, geometry: (g.coordinates as Pos[][][]).flat(), tags };
    default: return null;
  }
}
