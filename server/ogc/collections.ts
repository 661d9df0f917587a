// The feature collections published through OGC API – Features (and the exports): for each one the
// SQL that gives a feature's id, geometry and properties. All geometries are WGS84 (CRS84 order).

export interface OgcCollection {
  id: string;
  title: string;
  description: string;
  geometryType: 'Polygon' | 'MultiPolygon' | 'Point';
  /** FROM clause; the main table is aliased `o`. */
  from: string;
  /** Extra condition always applied (e.g. the region level). */
  where?: string;
  /** Properties as `key: SQL expression`, in order (also the CSV columns). */
  properties: Array<[string, string]>;
  /** Timestamp column the `datetime` parameter filters on. */
  temporal?: string;
  /** data_revisions names whose change invalidates cached metadata. */
  revisions: string[];
}

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export const COLLECTIONS: OgcCollection[] = [
  {
    id: 'grids',
    title: '网格 Grids',
    description: 'The 1,076 governance grids of Donghai County with their village and township.',
    geometryType: 'Polygon',
    from: 'grids o JOIN regions v ON v.id = o.village_id JOIN regions t ON t.id = v.parent_id',
    properties: [
      ['code', 'o.code'], ['name', 'o.name'], ['kind', 'o.kind'],
      ['villageCode', 'v.code'], ['villageName', 'v.name'], ['townshipCode', 't.code'], ['townshipName', 't.name'],
      ['version', 'o.version'], ['updatedAt', iso('o.updated_at')],
    ],
    revisions: ['grids', 'regions'],
  },
  {
    id: 'townships',
    title: '镇街 Townships',
    description: 'The 21 township-level units (街道 / 镇 / 乡 / 开发区).',
    geometryType: 'MultiPolygon',
    from: 'regions o',
    where: `o.kind = 'township'`,
    properties: [['code', 'o.code'], ['name', 'o.name'], ['subtype', 'o.subtype'], ['areaKm2', 'round((o.area_m2 / 1e6)::numeric, 3)']],
    revisions: ['regions'],
  },
  {
    id: 'villages',
    title: '村社区 Villages and communities',
    description: 'The 373 villages and communities (村 / 社区) with their township.',
    geometryType: 'MultiPolygon',
    from: 'regions o JOIN regions t ON t.id = o.parent_id',
    where: `o.kind = 'village'`,
    properties: [
      ['code', 'o.code'], ['name', 'o.name'], ['subtype', 'o.subtype'],
      ['townshipCode', 't.code'], ['townshipName', 't.name'], ['areaKm2', 'round((o.area_m2 / 1e6)::numeric, 3)'],
    ],
    revisions: ['regions'],
  },
  {
    id: 'cameras',
    title: '视频监控 Cameras',
    description: 'Cameras of 雪亮工程 (xueliang), 村村通 (cuncuntong) and public places, with heading and field of view.',
    geometryType: 'Point',
    from: 'cameras o LEFT JOIN grids g ON g.id = o.grid_id',
    properties: [
      ['code', 'o.code'], ['name', 'o.name'], ['kind', 'o.kind'], ['status', 'o.status'],
      ['heading', 'round(o.heading::numeric, 1)'], ['fov', 'round(o.fov::numeric, 1)'], ['rangeM', 'round(o.range_m::numeric, 1)'],
      ['gridCode', 'g.code'], ['installedAt', `to_char(o.installed_at, 'YYYY-MM-DD')`],
    ],
    revisions: ['cameras', 'grids'],
  },
  {
    id: 'incidents',
    title: '事件 Incidents',
    description: 'Reported incidents (grid workers, 12345 hotline, 110, petitions); `datetime` filters on the report time.',
    geometryType: 'Point',
    from: 'incidents o LEFT JOIN grids g ON g.id = o.grid_id LEFT JOIN regions t ON t.id = o.township_id',
    properties: [
      ['code', 'o.code'], ['category', 'o.category'], ['source', 'o.source'], ['status', 'o.status'], ['priority', 'o.priority'],
      ['address', 'o.address'], ['gridCode', 'g.code'], ['townshipName', 't.name'],
      ['reportedAt', iso('o.reported_at')], ['closedAt', iso('o.closed_at')],
    ],
    temporal: 'o.reported_at',
    revisions: [],
  },
];

export const COLLECTION_IDS = COLLECTIONS.map((c) => c.id);

export function findCollection(id: string): OgcCollection | undefined {
  return COLLECTIONS.find((c) => c.id === id);
}

/** json_build_object(...) of the properties. */
export function propertiesJson(c: OgcCollection): string {
  return `json_build_object(${c.properties.map(([k, e]) => `'${k}', ${e}`).join(', ')})`;
}

export interface Filter { bbox?: [number, number, number, number] | null; start?: Date | null; end?: Date | null }

/** WHERE clause of a collection with a bbox and a time window; pushes parameters onto params. */
export function filterWhere(c: OgcCollection, f: Filter, params: unknown[]): string {
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  const parts: string[] = [];
  if (c.where) parts.push(c.where);
  if (f.bbox) parts.push(`o.geom && ST_MakeEnvelope(${p(f.bbox[0])}, ${p(f.bbox[1])}, ${p(f.bbox[2])}, ${p(f.bbox[3])}, 4326)`);
  if (c.temporal && f.start) parts.push(`${c.temporal} >= ${p(f.start)}`);
  if (c.temporal && f.end) parts.push(`${c.temporal} < ${p(f.end)}`);
  return parts.length ? parts.join(' AND ') : 'true';
}

/** One page of features as a JSON array text, ordered by id (stable offset paging). */
export function pageSql(c: OgcCollection, where: string, limitParam: string, offsetParam: string): string {
  return `
SELECT count(*)::int AS n, coalesce(json_agg(json_build_object('type', 'Feature', 'id', s.id,
  'geometry', ST_AsGeoJSON(s.geom, 6)::json, 'properties', s.props) ORDER BY s.id), '[]'::json)::text AS features
FROM (SELECT o.id, o.geom, ${propertiesJson(c)} AS props FROM ${c.from}
      WHERE o.id = ANY(ARRAY(SELECT o.id FROM ${c.from} WHERE ${where} ORDER BY o.id LIMIT ${limitParam} OFFSET ${offsetParam}))) s`;
}

export function countSql(c: OgcCollection, where: string): string {
  return `SELECT count(*)::int AS n FROM ${c.from} WHERE ${where}`;
}

export function itemSql(c: OgcCollection): string {
  return `
SELECT json_build_object('type', 'Feature', 'id', o.id, 'geometry', ST_AsGeoJSON(o.geom, 6)::json, 'properties', ${propertiesJson(c)})::text AS feature
FROM ${c.from} WHERE ${c.where ? `${c.where} AND ` : ''}o.id = $1`;
}

export function extentSql(c: OgcCollection): string {
  return `
SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax${c.temporal ? `, t0, t1` : ''}
FROM (SELECT ST_Extent(o.geom)::box2d AS e${c.temporal ? `, min(${c.temporal}) AS t0, max(${c.temporal}) AS t1` : ''}
      FROM ${c.from} WHERE ${c.where ?? 'true'}) x`;
}
