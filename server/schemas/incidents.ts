import { Type, type Static } from 'typebox';
import { Feature, FeatureCollection, PointGeometry } from './geojson.js';

export const INCIDENT_STATUSES = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'rated', 'closed', 'returned', 'void'] as const;
export const INCIDENT_SOURCES = ['grid_worker', 'hotline', 'police_110', 'petition', 'command_center'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

/** Open = not yet closed or void (resolved/rated still await closing). */
export const OPEN_STATUSES: IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'returned', 'resolved', 'rated'];

const csv = (description: string, examples: string[]) => Type.Optional(Type.String({ description, examples, maxLength: 1000 }));

/** Filters shared by every incident query: time window and comma-separated lists. */
export const IncidentFilter = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'reported at or after (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'reported before (ISO 8601)' })),
  category: csv('categories, comma-separated', ['环境卫生,占道经营']),
  source: csv(`sources, comma-separated: ${INCIDENT_SOURCES.join(', ')}`, ['grid_worker,hotline']),
  status: csv(`states, comma-separated: ${INCIDENT_STATUSES.join(', ')}, or "open"`, ['open']),
  township: Type.Optional(Type.String({ pattern: '^\\d{9}$', description: 'township code' })),
});
export type IncidentFilter = Static<typeof IncidentFilter>;

export const HeatmapQuery = Type.Intersect([IncidentFilter, Type.Object({
  zoom: Type.Optional(Type.Number({ minimum: 0, maximum: 22, default: 9, description: 'map zoom: sets the bin size (about 16 screen pixels)' })),
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
})]);
export type HeatmapQuery = Static<typeof HeatmapQuery>;

export const Heatmap = Type.Object({
  /** Bin edge in degrees. */
  cell: Type.Number(),
  total: Type.Integer(),
  maxCount: Type.Integer(),
  /** [lon, lat, count] of each non-empty bin centre */
  bins: Type.Array(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 })),
});
export type Heatmap = Static<typeof Heatmap>;

export const IncidentPointsQuery = Type.Intersect([IncidentFilter, Type.Object({
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000, default: 5000 })),
})]);
export type IncidentPointsQuery = Static<typeof IncidentPointsQuery>;

export const IncidentPointProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  category: Type.String(),
  source: Type.String(),
  status: Type.String(),
  priority: Type.Integer(),
  reportedAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
});
export const IncidentPointCollection = Type.Intersect([
  FeatureCollection(Feature(PointGeometry, IncidentPointProperties)),
  Type.Object({ numberMatched: Type.Integer(), truncated: Type.Boolean() }),
]);
export type IncidentPointProperties = Static<typeof IncidentPointProperties>;
export type IncidentPointCollection = Static<typeof IncidentPointCollection>;

export const IncidentDetail = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  category: Type.String(),
  source: Type.String(),
  status: Type.String(),
  priority: Type.Integer(),
  description: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  grid: Type.Union([Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }), Type.Null()]),
  village: Type.Union([Type.String(), Type.Null()]),
  township: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  reporter: Type.Union([Type.String(), Type.Null()]),
  reportedAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String(), Type.Null()]),
  dispatchedAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  dueAt: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  rating: Type.Union([Type.Integer(), Type.Null()]),
  /** the citizen's contact (12345 hotline): masked (138****1234) unless the caller is responsible for the place */
  contact: Type.Optional(Type.Union([Type.Object({
    name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]), masked: Type.Boolean(),
  }), Type.Null()])),
});
export type IncidentDetail = Static<typeof IncidentDetail>;
