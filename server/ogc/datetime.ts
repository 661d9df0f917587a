// The OGC API – Features `datetime` parameter (RFC 3339): an instant, or an interval `start/end`
// with `..` (or an empty string) for an open end. A date without a time means that whole UTC day.
import { badRequest } from '../http/errors.js';

/** Half-open window start ≤ t < end; null ends are open. */
export interface TimeWindow { start: Date | null; end: Date | null }

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

function parseOne(field: string, text: string, edge: 'start' | 'end' | 'instant'): { from: Date; to: Date } {
  if (DATE.test(text)) {
    const from = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== text) throw badRequest(field, `"${text.slice(0, 40)}" is not a valid date`);
    return { from, to: new Date(from.getTime() + DAY_MS) };
  }
  if (DATE_TIME.test(text)) {
    const t = new Date(text);
    if (Number.isNaN(t.getTime())) throw badRequest(field, `"${text.slice(0, 40)}" is not a valid date-time`);
    // An instant matches that millisecond; as an interval end it is inclusive.
    return { from: t, to: new Date(t.getTime() + (edge === 'start' ? 0 : 1)) };
  }
  throw badRequest(field, `"${text.slice(0, 40)}" is not an RFC 3339 date-time (e.g. 2026-11-01T00:00:00Z), a date, or an interval start/end with ".." for an open end`);
}

export function parseDatetime(value: string, field = 'datetime'): TimeWindow {
  const v = value.trim();
  if (v === '') throw badRequest(field, 'must not be empty');
  if (v.length > 100) throw badRequest(field, 'too long');
  const parts = v.split('/');
  if (parts.length === 1) {
    if (v === '..') throw badRequest(field, '".." is only allowed as one end of an interval');
    const { from, to } = parseOne(field, v, 'instant');
    return { start: from, end: to };
  }
  if (parts.length !== 2) throw badRequest(field, 'an interval has exactly one "/"');
  const open = (s: string) => s === '..' || s === '';
  const [a, b] = parts;
  if (open(a) && open(b)) return { start: null, end: null };
  const start = open(a) ? null : parseOne(field, a, 'start').from;
  const end = open(b) ? null : parseOne(field, b, 'end').to;
  if (start && end && start.getTime() >= end.getTime()) throw badRequest(field, 'interval start is after its end');
  return { start, end };
}
