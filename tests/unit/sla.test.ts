// Step deadlines per category and priority, and the overdue rule (same as OVERDUE_SQL).
import { describe, expect, it } from 'vitest';
import { dueAt, isOverdue, OVERDUE_STATUSES, PRIORITY_FACTOR, stepHours, type StepLimits } from '../../server/domain/sla.js';
import { OVERDUE_SQL } from '../../server/domain/incidentFilter.js';
import { INCIDENT_STATUSES } from '../../server/schemas/incidents.js';

const roads: StepLimits = { acceptH: 2, dispatchH: 4, startH: 24, resolveH: 120, closeH: 72 };
const t0 = new Date('2025-03-01T08:00:00Z');
const H = 3_600_000;

describe('step deadlines', () => {
  it('gives each step its own limit at priority 3', () => {
    expect(dueAt('reported', roads, 3, t0)!.getTime() - t0.getTime()).toBe(2 * H);
    expect(dueAt('accepted', roads, 3, t0)!.getTime() - t0.getTime()).toBe(4 * H);
    expect(dueAt('returned', roads, 3, t0)!.getTime() - t0.getTime()).toBe(4 * H);
    expect(dueAt('dispatched', roads, 3, t0)!.getTime() - t0.getTime()).toBe(24 * H);
    expect(dueAt('in_progress', roads, 3, t0)!.getTime() - t0.getTime()).toBe(120 * H);
    expect(dueAt('resolved', roads, 3, t0)!.getTime() - t0.getTime()).toBe(72 * H);
  });

  it('scales by priority (urgent quarter, low double), except the citizen\'s time to rate', () => {
    expect(PRIORITY_FACTOR).toEqual({ 1: 0.25, 2: 0.5, 3: 1, 4: 2 });
    expect(stepHours('reported', roads, 1)).toBe(0.5);
    expect(stepHours('in_progress', roads, 2)).toBe(60);
    expect(stepHours('dispatched', roads, 4)).toBe(48);
    expect(stepHours('resolved', roads, 1)).toBe(72);
    expect(dueAt('reported', { ...roads, acceptH: 0.5 }, 1, t0)!.getTime() - t0.getTime()).toBe(7.5 * 60_000);
  });

  it('keeps the close window when rated, and has no deadline once closed or void', () => {
    const resolvedDue = dueAt('resolved', roads, 3, t0)!;
    expect(dueAt('rated', roads, 3, new Date(t0.getTime() + 5 * H), resolvedDue)).toEqual(resolvedDue);
    expect(dueAt('closed', roads, 3, t0)).toBeNull();
    expect(dueAt('void', roads, 3, t0)).toBeNull();
  });
});

describe('overdue', () => {
  it('is a passed deadline while still being handled', () => {
    const past = new Date(t0.getTime() - 1);
    for (const s of INCIDENT_STATUSES) {
      expect(isOverdue(s, past, t0)).toBe(['reported', 'accepted', 'dispatched', 'in_progress', 'returned'].includes(s));
      expect(isOverdue(s, new Date(t0.getTime() + 1), t0)).toBe(false);
      expect(isOverdue(s, null, t0)).toBe(false);
    }
  });

  it('uses the same states as OVERDUE_SQL', () => {
    const inSql = OVERDUE_SQL.match(/IN \(([^)]*)\)/)![1].split(',').map((s) => s.trim().replace(/'/g, ''));
    expect([...OVERDUE_STATUSES].sort()).toEqual(inSql.sort());
  });
});
