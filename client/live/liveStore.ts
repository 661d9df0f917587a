// The latest position and state of every worker the client shows, fed by the live channel's
// snapshot / positions messages. Pure, so it is easy to test; the hook wraps it.
import { LIVE_STATES, type LiveEvent, type LivePositions, type LiveSnapshot, type LiveWorkerTuple } from '../../server/schemas/live.js';

export type { LiveEvent, LiveWorkerTuple };
export type LiveState = (typeof LIVE_STATES)[number];
export const stateOf = (t: LiveWorkerTuple): LiveState => LIVE_STATES[t[4]];

export class LiveStore {
  private byWorker = new Map<number, LiveWorkerTuple>();
  /** The `at` of the last message: sent back as `since` after a reconnect. */
  since: string | undefined;
  /** Bumped on every change, so views can tell when to rebuild. */
  version = 0;
  private cached: LiveWorkerTuple[] | null = null;

  applySnapshot(m: LiveSnapshot) {
    if (m.full) this.byWorker.clear();
    this.merge(m.workers);
    this.since = m.at;
    this.touch();
  }

  applyPositions(m: LivePositions) {
    this.merge(m.workers);
    for (const id of m.gone ?? []) this.byWorker.delete(id);
    this.since = m.at;
    this.touch();
  }

  /** Keeps the newer of what we have and what arrives (messages can cross after a reconnect). */
  private merge(tuples: LiveWorkerTuple[]) {
    for (const t of tuples) {
      const cur = this.byWorker.get(t[0]);
      if (!cur || cur[3] <= t[3]) this.byWorker.set(t[0], t);
    }
  }

  private touch() {
    this.version++;
    this.cached = null;
  }

  /** All workers, as one array whose identity changes only when something changed. */
  get workers(): LiveWorkerTuple[] {
    if (!this.cached) this.cached = [...this.byWorker.values()];
    return this.cached;
  }

  get(workerId: number): LiveWorkerTuple | undefined { return this.byWorker.get(workerId); }

  countByState(): Record<LiveState, number> {
    const out = { patrolling: 0, idle: 0, offline: 0, outside: 0 } as Record<LiveState, number>;
    for (const t of this.byWorker.values()) out[stateOf(t)]++;
    return out;
  }
}
