// The live channel (socket.io) messages. Positions travel as compact tuples: thousands a second.
import { Type, type Static } from 'typebox';

export const LIVE_STATES = ['patrolling', 'idle', 'offline', 'outside'] as const;

const since = Type.Optional(Type.String({ format: 'date-time', description: 'the `at` of the last message received, after a reconnect' }));
export const SUBSCRIPTION_VARIANTS = [
  Type.Object({ scope: Type.Literal('county'), since }),
  Type.Object({ scope: Type.Literal('township'), township: Type.String({ pattern: '^\\d{9}$' }), since }),
  Type.Object({
    scope: Type.Literal('bbox'),
    bbox: Type.Array(Type.Number({ minimum: -180, maximum: 180 }), { minItems: 4, maxItems: 4 }),
    since,
  }),
] as const;
export const Subscription = Type.Union([...SUBSCRIPTION_VARIANTS]);
export type Subscription = Static<typeof Subscription>;

/**
 * [workerId, lon, lat, timeMs, stateIndex (LIVE_STATES), speed m/s | null, heading | null, gridId | null, assignedGridId]
 */
export type LiveWorkerTuple = [number, number, number, number, number, number | null, number | null, number | null, number];

/** `positions` message: what changed in the subscribed view since the last tick. */
export interface LivePositions {
  /** Server time of this message: pass it back as `since` after a reconnect. */
  at: string;
  workers: LiveWorkerTuple[];
  /** Workers that left the view. */
  gone?: number[];
}

/** `snapshot` message: the whole view (full) or what changed since `since` (catch-up). */
export interface LiveSnapshot extends LivePositions { full: boolean }

export interface LiveEvent {
  workerId: number;
  kind: 'grid_enter' | 'grid_exit' | 'offline' | 'online' | 'left_assigned_grid' | 'returned_to_grid';
  time: string;
  gridId: number | null;
  lon: number;
  lat: number;
}
