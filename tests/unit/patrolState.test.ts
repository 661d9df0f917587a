import { describe, expect, it } from 'vitest';
import { advance, distanceM, type Fix, type Status } from '../../server/domain/patrolState.js';

const t0 = new Date('2026-03-15T00:30:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const fix = (s: number, gridId: number | null, speed: number | null = 1, lon = 118.76, lat = 34.52): Fix =>
  ({ time: at(s), lon, lat, speed, heading: null, accuracy: 5, battery: 80, gridId });

describe('advance', () => {
  it('first fix: online, grid_enter, patrolling when moving', () => {
    const { status, events } = advance(null, [fix(0, 7)], 7);
    expect(status?.state).toBe('patrolling');
    expect(events.map((e) => e.kind)).toEqual(['online', 'grid_enter']);
  });

  it('slow → idle; state_since kept while the state holds', () => {
    let s = advance(null, [fix(0, 7, 0.1)], 7).status!;
    expect(s.state).toBe('idle');
    s = advance(s, [fix(10, 7, 0.2)], 7).status!;
    expect(s.state).toBe('idle');
    expect(s.stateSince).toEqual(at(0));
    s = advance(s, [fix(20, 7, 1.5)], 7).status!;
    expect(s.state).toBe('patrolling');
    expect(s.stateSince).toEqual(at(20));
  });

  it('speed unknown: derived from displacement', () => {
    const s = advance(null, [fix(0, 7, null, 118.76, 34.52)], 7).status!;
    const moved = advance(s, [fix(10, 7, null, 118.7601, 34.52)], 7).status!; // ~9 m in 10 s
    expect(moved.state).toBe('patrolling');
    const still = advance(moved, [fix(20, 7, null, 118.7601, 34.52)], 7).status!;
    expect(still.state).toBe('idle');
  });

  it('grid changes give exit then enter', () => {
    const s = advance(null, [fix(0, 7)], 7).status!;
    const { events } = advance(s, [fix(10, 8)], 7);
    expect(events.map((e) => [e.kind, e.gridId])).toEqual([['grid_exit', 7], ['grid_enter', 8]]);
  });

  it('outside the assigned grid only after the grace period, then back', () => {
    let s = advance(null, [fix(0, 7)], 7).status!;
    let r = advance(s, [fix(60, 8)], 7);
    expect(r.status!.state).toBe('patrolling');
    expect(r.status!.outsideSince).toEqual(at(60));
    s = r.status!;
    r = advance(s, [fix(60 + 599, 8)], 7);
    expect(r.status!.state).toBe('patrolling');
    r = advance(r.status!, [fix(60 + 600, 8)], 7);
    expect(r.status!.state).toBe('outside');
    expect(r.events.map((e) => e.kind)).toEqual(['left_assigned_grid']);
    r = advance(r.status!, [fix(700, 7)], 7);
    expect(r.status!.state).toBe('patrolling');
    expect(r.status!.outsideSince).toBeNull();
    expect(r.events.map((e) => e.kind)).toEqual(['grid_exit', 'grid_enter', 'returned_to_grid']);
  });

  it('outside the county (no grid) counts as outside', () => {
    const r = advance(null, [fix(0, null), fix(700, null)], 7);
    expect(r.status!.state).toBe('outside');
    expect(r.status!.gridId).toBeNull();
  });

  it('back from offline gives online', () => {
    const s: Status = { ...advance(null, [fix(0, 7)], 7).status!, state: 'offline' };
    const r = advance(s, [fix(1000, 7)], 7);
    expect(r.events[0].kind).toBe('online');
  });

  it('older or equal fixes do not change the status; batches are applied in time order', () => {
    const s = advance(null, [fix(100, 7)], 7).status!;
    expect(advance(s, [fix(50, 8), fix(100, 8)], 7).status).toBeNull();
    const r = advance(null, [fix(20, 8), fix(0, 7), fix(10, 7)], 7);
    expect(r.status!.ts).toEqual(at(20));
    expect(r.events.map((e) => e.kind)).toEqual(['online', 'grid_enter', 'grid_exit', 'grid_enter']);
  });

  it('distance is right at Donghai latitude', () => {
    expect(distanceM(118.76, 34.52, 118.77, 34.52)).toBeCloseTo(917, -1);
    expect(distanceM(118.76, 34.52, 118.76, 34.53)).toBeCloseTo(1112, -1);
  });
});
