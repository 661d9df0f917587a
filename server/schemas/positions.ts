import { Type, type Static } from 'typebox';

/** One position as phones send it to POST /api/positions. Speed in m/s, heading in degrees from north. */
export const PositionInput = Type.Object({
  deviceId: Type.String({ minLength: 1, maxLength: 64, examples: ['100001'] }),
  time: Type.Union([Type.String({ maxLength: 40 }), Type.Number()], { description: 'ISO 8601, or epoch seconds / milliseconds' }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  speed: Type.Optional(Type.Number({ minimum: 0, maximum: 500, description: 'm/s' })),
  heading: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
  accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 100000, description: 'metres' })),
  battery: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'percent' })),
});
export type PositionInput = Static<typeof PositionInput>;

// The batch itself is only checked for shape: each point is validated on its own so that one bad
// point is reported by index while the good ones are stored.
export const PositionBatch = Type.Array(Type.Object({}, { additionalProperties: true }), {
  minItems: 1, maxItems: 1000,
  examples: [[{ deviceId: '100001', time: '2026-03-15T08:30:00+08:00', lon: 118.7651, lat: 34.5235, speed: 1.2 }]],
});

export const PositionRejection = Type.Object({ index: Type.Integer(), field: Type.String(), reason: Type.String() });
export type PositionRejection = Static<typeof PositionRejection>;

export const IngestResult = Type.Object({
  accepted: Type.Integer({ description: 'stored now' }),
  duplicates: Type.Integer({ description: 'already stored before (same device and time)' }),
  rejected: Type.Array(PositionRejection),
});
export type IngestResult = Static<typeof IngestResult>;

export const WorkerState = Type.Union([Type.Literal('patrolling'), Type.Literal('idle'), Type.Literal('offline'), Type.Literal('outside')]);
export type WorkerState = Static<typeof WorkerState>;

export const LatestPosition = Type.Object({
  workerId: Type.Integer(),
  name: Type.String(),
  role: Type.String(),
  assignedGridId: Type.Integer(),
  gridId: Type.Union([Type.Integer(), Type.Null()]),
  lon: Type.Number(),
  lat: Type.Number(),
  time: Type.String({ format: 'date-time' }),
  speed: Type.Union([Type.Number(), Type.Null()]),
  heading: Type.Union([Type.Number(), Type.Null()]),
  battery: Type.Union([Type.Number(), Type.Null()]),
  state: WorkerState,
  stateSince: Type.String({ format: 'date-time' }),
});
export type LatestPosition = Static<typeof LatestPosition>;

export const LatestQuery = Type.Object({
  bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat' })),
  township: Type.Optional(Type.String({ pattern: '^\\d{9}$', description: 'township code' })),
});
