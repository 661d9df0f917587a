// Time limits (SLA) of each workflow step. A category gives the hours of every step at normal
// priority (3); more urgent priorities get a fraction of them. `due_at` of an incident is the
// deadline of the step it waits for; it is overdue when that passes while the incident is still
// being handled (the same rule as OVERDUE_SQL in server/domain/incidentFilter.ts).
import type { IncidentStatus } from '../schemas/incidents.js';

export interface StepLimits {
  /** hours to 受理 accept a report */
  acceptH: number;
  /** hours to 派遣 dispatch (or start handling) once accepted, or again after a return */
  dispatchH: number;
  /** hours to start handling once dispatched */
  startH: number;
  /** hours to 办结 resolve once handling started */
  resolveH: number;
  /** hours to rate and 结案 close once resolved */
  closeH: number;
}

/** Priority 1 (urgent) … 4 (low): multiplier of the category's hours. */
export const PRIORITY_FACTOR: Record<number, number> = { 1: 0.25, 2: 0.5, 3: 1, 4: 2 };

/** Statuses that count as overdue once due_at passes (keep in step with OVERDUE_SQL). */
export const OVERDUE_STATUSES: readonly IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'in_progress', 'returned'];

/** Hours allowed for the step that starts when the incident enters `status`; null = no deadline. */
export function stepHours(status: IncidentStatus, limits: StepLimits, priority: number): number | null {
  const f = PRIORITY_FACTOR[priority] ?? 1;
  switch (status) {
    case 'reported': return limits.acceptH * f;
    case 'accepted': return limits.dispatchH * f;
    case 'returned': return limits.dispatchH * f;
    case 'dispatched': return limits.startH * f;
    case 'in_progress': return limits.resolveH * f;
    case 'resolved':
    case 'rated': return limits.closeH; // the citizen's time to rate does not shrink with priority
    default: return null;
  }
}

/**
 * Deadline of the step entered at `at`. Rating keeps the deadline set at resolution (the close
 * window runs from 办结); closed and void incidents have none.
 */
export function dueAt(status: IncidentStatus, limits: StepLimits, priority: number, at: Date, previousDue: Date | null = null): Date | null {
  if (status === 'rated' && previousDue) return previousDue;
  const h = stepHours(status, limits, priority);
  return h === null ? null : new Date(at.getTime() + Math.round(h * 3_600_000));
}

/** Same rule as OVERDUE_SQL, for objects in memory. */
export function isOverdue(status: IncidentStatus, due: Date | null, now: Date): boolean {
  return due !== null && due.getTime() < now.getTime() && OVERDUE_STATUSES.includes(status);
}
