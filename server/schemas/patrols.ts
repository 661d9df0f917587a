import { Type, type Static } from 'typebox';

/** One worker's track in GET /api/tracks. */
export const Track = Type.Object({
  workerId: Type.Integer(),
  name: Type.String(),
  gridId: Type.Integer(),
  /** [lon, lat, epoch seconds] simplified for the zoom asked */
  path: Type.Array(Type.Array(Type.Number(), { minItems: 3, maxItems: 3 })),
  points: Type.Integer({ description: 'positions before simplification' }),
  distanceM: Type.Number(),
  stops: Type.Array(Type.Object({ lon: Type.Number(), lat: Type.Number(), from: Type.String(), to: Type.String(), minutes: Type.Number() })),
});
export type Track = Static<typeof Track>;
export type TrackStop = Track['stops'][number];

export const WorkerEventKind = Type.Union(['grid_enter', 'grid_exit', 'offline', 'online', 'left_assigned_grid', 'returned_to_grid'].map((k) => Type.Literal(k)));

/** One worker event in GET /api/patrols/events. */
export const WorkerEventItem = Type.Object({
  id: Type.Integer(), workerId: Type.Integer(), workerName: Type.String(), kind: Type.String(), time: Type.String(),
  gridId: Type.Union([Type.Integer(), Type.Null()]), gridName: Type.Union([Type.String(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]), lat: Type.Union([Type.Number(), Type.Null()]),
});
export type WorkerEventItem = Static<typeof WorkerEventItem>;
