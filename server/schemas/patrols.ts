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
