import { describe, expect, it } from 'vitest';
import { LiveStore, stateOf } from '../../client/live/liveStore.js';
import type { LiveWorkerTuple } from '../../server/schemas/live.js';

const t = (id: number, time: number, state = 0, lon = 118.7): LiveWorkerTuple => [id, lon, 34.5, time, state, 1, 90, 7, 7];

describe('LiveStore', () => {
  it('a full snapshot replaces, positions merge, gone removes', () => {
    const s = new LiveStore();
    s.applySnapshot({ at: 'a', full: true, workers: [t(1, 10), t(2, 10)] });
    expect(s.workers.map((w) => w[0])).toEqual([1, 2]);
    s.applyPositions({ at: 'b', workers: [t(2, 20, 1), t(3, 20)], gone: [1] });
    expect(s.workers.map((w) => w[0]).sort()).toEqual([2, 3]);
    expect(stateOf(s.get(2)!)).toBe('idle');
    expect(s.since).toBe('b');
    s.applySnapshot({ at: 'c', full: true, workers: [t(9, 30)] });
    expect(s.workers.map((w) => w[0])).toEqual([9]);
  });

  it('a catch-up snapshot merges and never goes back in time', () => {
    const s = new LiveStore();
    s.applySnapshot({ at: 'a', full: true, workers: [t(1, 10, 0, 118.1)] });
    s.applyPositions({ at: 'b', workers: [t(1, 30, 0, 118.3)] });
    s.applySnapshot({ at: 'c', full: false, workers: [t(1, 20, 0, 118.2), t(2, 25)] });
    expect(s.get(1)![1]).toBe(118.3);
    expect(s.workers).toHaveLength(2);
  });

  it('keeps the workers array identity until something changes', () => {
    const s = new LiveStore();
    s.applySnapshot({ at: 'a', full: true, workers: [t(1, 10)] });
    const a = s.workers;
    expect(s.workers).toBe(a);
    const v = s.version;
    s.applyPositions({ at: 'b', workers: [t(1, 11)] });
    expect(s.workers).not.toBe(a);
    expect(s.version).toBe(v + 1);
    expect(s.countByState()).toEqual({ patrolling: 1, idle: 0, offline: 0, outside: 0 });
  });
});
