import { Type, type Static } from 'typebox';
import { Feature, FeatureCollection, PolygonGeometry } from './geojson.js';

export const GridKind = Type.Union([Type.Literal('urban'), Type.Literal('rural')]);
export type GridKind = Static<typeof GridKind>;

export const GridsQuery = Type.Object({
  bbox: Type.Optional(Type.String({
    description: 'minLon,minLat,maxLon,maxLat (WGS84): only grids intersecting this box',
    examples: ['118.70,34.48,118.82,34.56'],
  })),
  format: Type.Optional(Type.Union([Type.Literal('geojson'), Type.Literal('topojson')], {
    default: 'geojson',
    description: 'geojson (default) or topojson: shared borders stored once, quantised — about a third of the bytes',
  })),
});
export type GridsQuery = Static<typeof GridsQuery>;

export const GridProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String({ examples: ['320722001001-01'] }),
  name: Type.String({ examples: ['牛山社区第1网格'] }),
  kind: GridKind,
  villageCode: Type.String(),
  villageName: Type.String(),
  townshipCode: Type.String(),
  townshipName: Type.String(),
  workerCount: Type.Integer(),
  version: Type.Integer(),
});
export type GridProperties = Static<typeof GridProperties>;

export const GridFeature = Feature(PolygonGeometry, GridProperties);
export const GridCollection = FeatureCollection(GridFeature);
export type GridFeature = Static<typeof GridFeature>;
export type GridCollection = Static<typeof GridCollection>;

export const GridIndicatorName = Type.Union([
  Type.Literal('open_incidents'), Type.Literal('incidents'), Type.Literal('coverage'), Type.Literal('workers_on_duty'),
], { description: 'open_incidents (now), incidents (reported in the window), coverage (positions today: 1 visited / 0 not), workers_on_duty (now)' });
export type GridIndicatorName = Static<typeof GridIndicatorName>;

export const GridIndicatorQuery = Type.Object({
  indicator: GridIndicatorName,
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
});
export const GridIndicator = Type.Object({
  indicator: GridIndicatorName,
  max: Type.Number(),
  /** grid id → value, for every grid (0 where nothing) */
  values: Type.Record(Type.String(), Type.Number()),
});
export type GridIndicator = Static<typeof GridIndicator>;

export const GridDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: GridKind,
  version: Type.Integer(),
  areaKm2: Type.Number(),
  township: Type.Object({ code: Type.String(), name: Type.String() }),
  village: Type.Object({ code: Type.String(), name: Type.String() }),
  workers: Type.Array(Type.Object({
    id: Type.Integer(), name: Type.String(), role: Type.String(),
    /** masked (138****1234) unless the caller is responsible for the grid */
    phone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    state: Type.Union([Type.String(), Type.Null()]), lastSeen: Type.Union([Type.String(), Type.Null()]),
  })),
  incidentsToday: Type.Object({ total: Type.Integer(), open: Type.Integer(), overdue: Type.Integer() }),
  recentIncidents: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), category: Type.String(), status: Type.String(), reportedAt: Type.String() })),
  patrolToday: Type.Object({ visited: Type.Boolean(), workers: Type.Integer(), firstVisit: Type.Union([Type.String(), Type.Null()]), lastVisit: Type.Union([Type.String(), Type.Null()]) }),
  bbox: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
});
export type GridDetail = Static<typeof GridDetail>;
