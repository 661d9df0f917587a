// What report the page shows, kept in its URL (/reports?period=week&date=2026-03-02&by=village) so
// a report can be shared, reloaded or printed as it is. Anything malformed falls back to today's
// township day report.
import type { ReportPeriod, ReportUnit } from '../../server/schemas/reports.js';

export const PERIODS = ['day', 'week', 'month', 'quarter', 'custom'] as const;
export type PeriodChoice = ReportPeriod | 'custom';
export const UNITS: readonly ReportUnit[] = ['township', 'village', 'grid', 'department'];

export interface ReportQueryState {
  period: PeriodChoice;
  /** a day inside the period (local), or null for today */
  date: string | null;
  /** custom: first and last day (inclusive) */
  from: string | null;
  to: string | null;
  by: ReportUnit;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const day = (v: string | null) => (v && DAY_RE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : null);

export function parseReportQuery(search: string): ReportQueryState {
  const q = new URLSearchParams(search);
  const period = (PERIODS as readonly string[]).includes(q.get('period') ?? '') ? (q.get('period') as PeriodChoice) : 'day';
  const by = (UNITS as readonly string[]).includes(q.get('by') ?? '') ? (q.get('by') as ReportUnit) : 'township';
  const s: ReportQueryState = { period, date: day(q.get('date')), from: day(q.get('from')), to: day(q.get('to')), by };
  if (s.period === 'custom' && (!s.from || !s.to || s.from > s.to)) return { ...s, period: 'day', from: null, to: null };
  return s;
}

export function serializeReportQuery(s: ReportQueryState): string {
  const q = new URLSearchParams();
  q.set('period', s.period);
  if (s.period === 'custom') {
    q.set('from', s.from!);
    q.set('to', s.to!);
  } else if (s.date) q.set('date', s.date);
  q.set('by', s.by);
  return q.toString();
}

/** The query string of GET /api/reports for this state (without `format`). */
export function apiParams(s: ReportQueryState): Record<string, string | undefined> {
  return s.period === 'custom'
    ? { from: s.from!, to: s.to!, by: s.by }
    : { period: s.period, date: s.date ?? undefined, by: s.by };
}

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A day in the period `steps` periods before (−) or after (+) the one containing `date`. */
export function shiftPeriod(period: ReportPeriod, date: string, steps: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  switch (period) {
    case 'day': return ymd(d.getTime() + steps * 86_400_000);
    case 'week': return ymd(d.getTime() + steps * 7 * 86_400_000);
    case 'month': return ymd(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + steps, 1));
    case 'quarter': return ymd(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + steps * 3, 1));
  }
}
