// Vector tile layers: one SQL statement per layer, as pg_tileserv does —
// ST_AsMVT(ST_AsMVTGeom(geom in EPSG:3857, ST_TileEnvelope(z, x, y))) — and, for the embedded
// PGlite built without protobuf, the same rows with the geometry clipped, scaled to tile units and
// snapped in SQL (as ST_AsMVTGeom does) for the JavaScript encoder.
export const EXTENT = 4096;
export const BUFFER = 64;

export interface SubLayer {
  /** MVT layer name */
  name: string;
  /** FROM clause; the main table is aliased `o`, its geometry is o.geom (WGS84), its id o.id. */
  from: string;
  where?: string;
  /** Property columns, `expression AS name` (float8 / int / text only, so both encoders agree). */
  columns: string[];
  geometry: 'point' | 'polygon';
}

export interface TileLayer {
  id: string;
  title: string;
  layers: SubLayer[];
  /** data_revisions whose change invalidates cached tiles; null: no revision (short TTL). */
  revisions: string[] | null;
  /** Takes a time window ($4 start, $5 end) */
  timed?: boolean;
  minzoom: number;
  maxzoom: number;
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export const TILE_LAYERS: Record<string, TileLayer> = {
  grids: {
    id: 'grids', title: '网格 Grids', revisions: ['grids', 'regions'], minzoom: 0, maxzoom: 22,
    layers: [{
      name: 'grids', geometry: 'polygon',
      from: 'grids o JOIN regions v ON v.id = o.village_id JOIN regions t ON t.id = v.parent_id',
      columns: ['o.code AS code', 'o.name AS name', 'o.kind AS kind', 'v.name AS village', 't.name AS township', 'o.version AS version'],
    }],
  },
  regions: {
    id: 'regions', title: '镇街与村社区 Townships and villages', revisions: ['regions'], minzoom: 0, maxzoom: 22,
    layers: [
      { name: 'townships', geometry: 'polygon', from: 'regions o', where: `o.kind = 'township'`, columns: ['o.code AS code', 'o.name AS name', 'o.subtype AS subtype'] },
      {
        name: 'villages', geometry: 'polygon', from: 'regions o JOIN regions t ON t.id = o.parent_id', where: `o.kind = 'village'`,
        columns: ['o.code AS code', 'o.name AS name', 'o.subtype AS subtype', 't.code AS township_code'],
      },
    ],
  },
  cameras: {
    id: 'cameras', title: '视频监控 Cameras', revisions: ['cameras'], minzoom: 0, maxzoom: 22,
    layers: [{
      name: 'cameras', geometry: 'point', from: 'cameras o',
      columns: ['o.code AS code', 'o.name AS name', 'o.kind AS kind', 'o.status AS status',
        'round(o.heading::numeric, 1)::float8 AS heading', 'round(o.fov::numeric, 1)::float8 AS fov', 'round(o.range_m::numeric, 1)::float8 AS range_m'],
    }],
  },
  incidents: {
    id: 'incidents', title: '事件 Incidents (default: last 30 days)', revisions: null, timed: true, minzoom: 0, maxzoom: 22,
    layers: [{
      name: 'incidents', geometry: 'point', from: 'incidents o',
      where: 'o.reported_at >= $4 AND o.reported_at < $5',
      columns: ['o.code AS code', 'o.category AS category', 'o.source AS source', 'o.status AS status', 'o.priority::int AS priority', `${iso('o.reported_at')} AS reported_at`],
    }],
  },
};

// $1 z, $2 x, $3 y. The envelope with the buffer, in WGS84, selects rows with the GiST index.
const TILE_CTE = `tile AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS env,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => ${BUFFER / EXTENT}::float8), 4326) AS box)`;

function rowsOf(l: SubLayer, geomExpr: string): string {
  return `SELECT o.id, ${l.columns.join(', ')}, ${geomExpr} AS geom
  FROM tile, ${l.from}
  WHERE o.geom && tile.box${l.where ? ` AND ${l.where}` : ''}`;
}

/** The one statement a layer's tile is built with on PostGIS with protobuf: returns `mvt` bytea. */
export function mvtSql(layer: TileLayer): string {
  const ctes = layer.layers.map((l, i) => `l${i} AS (
  ${rowsOf(l, `ST_AsMVTGeom(ST_Transform(o.geom, 3857), tile.env, ${EXTENT}, ${BUFFER}, true)`)})`);
  const parts = layer.layers.map((l, i) => `coalesce((SELECT ST_AsMVT(l${i}.*, '${l.name}', ${EXTENT}, 'geom', 'id') FROM l${i} WHERE l${i}.geom IS NOT NULL), ''::bytea)`);
  return `WITH ${TILE_CTE},\n${ctes.join(',\n')}\nSELECT ${parts.join(' || ')} AS mvt`;
}

/**
 * For the JS encoder: the rows of one sub-layer with the geometry as GeoJSON in tile units — clipped
 * to the buffered tile, scaled, y flipped, snapped to integers, made valid, exterior rings with
 * positive area in tile coordinates (the MVT winding) — as ST_AsMVTGeom does.
 */
export function jsSql(l: SubLayer): string {
  const d = `(ST_XMax(tile.env) - ST_XMin(tile.env))`;
  const s = `(${EXTENT} / ${d})`;
  const toTile = (g: string) => `ST_Affine(${g}, ${s}, 0, 0, -${s}, -ST_XMin(tile.env) * ${s}, ST_YMax(tile.env) * ${s})`;
  let geom: string;
  if (l.geometry === 'polygon') {
    // as ST_AsMVTGeom: to tile units, snap to integers, drop points on straight lines, clip to the
    // buffered tile, make valid, exterior rings with positive area in tile coordinates
    const snapped = `ST_Simplify(ST_SnapToGrid(${toTile('ST_Transform(o.geom, 3857)')}, 1), 0, false)`;
    const clipped = `ST_ClipByBox2D(${snapped}, ST_MakeEnvelope(${-BUFFER}, ${-BUFFER}, ${EXTENT + BUFFER}, ${EXTENT + BUFFER}))`;
    geom = `ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(${clipped}), 3))`;
  } else {
    // points: snapped, kept when inside the buffered tile (edges included)
    const snapped = `ST_SnapToGrid(${toTile('ST_Transform(o.geom, 3857)')}, 1)`;
    geom = `CASE WHEN ST_X(${snapped}) BETWEEN ${-BUFFER} AND ${EXTENT + BUFFER} AND ST_Y(${snapped}) BETWEEN ${-BUFFER} AND ${EXTENT + BUFFER} THEN ${snapped} END`;
  }
  return `WITH ${TILE_CTE}, r AS (${rowsOf(l, geom)})
SELECT r.*, ST_AsGeoJSON(r.geom) AS geojson FROM r WHERE r.geom IS NOT NULL AND NOT ST_IsEmpty(r.geom)`;
}

/** Property names of a sub-layer, in order (the text after AS). */
export function columnNames(l: SubLayer): string[] {
  return l.columns.map((c) => c.split(/\s+AS\s+/i).pop()!.trim());
}
