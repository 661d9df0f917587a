// Local wall-clock time of the deployment (Asia/Shanghai by default), independent of the browser's
// own time zone: the dispatcher's "07:00" is 07:00 in Donghai wherever the browser runs.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** The server refuses longer track ranges. */
export const MAX_RANGE_MS = 7 * DAY_MS;

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a time zone. */
export function zonedParts(ms: number, timeZone: string = DEFAULT_TIME_ZONE): ZonedParts {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return { year: out.year, month: out.month, day: out.day, hour: out.hour % 24, minute: out.minute, second: out.second };
}

/** Offset of the zone from UTC at that instant, ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string = DEFAULT_TIME_ZONE): number {
  const p = zonedParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' of an instant in the zone. */
export function zonedDate(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = zonedParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** 'HH:mm' (or 'HH:mm:ss') of an instant in the zone. */
export function zonedTime(ms: number, timeZone: string = DEFAULT_TIME_ZONE, seconds = false): string {
  const p = zonedParts(ms, timeZone);
  return seconds ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : `${pad(p.hour)}:${pad(p.minute)}`;
}

/** 'MM-DD HH:mm' of an instant in the zone. */
export function zonedShort(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = zonedParts(ms, timeZone);
  return `${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant of a local date and time in the zone ('2026-11-27', '07:00' in Asia/Shanghai →
 * 2026-11-26T23:00:00Z), or NaN when either is malformed. '24:00' is the next midnight.
 */
export function zonedToEpoch(date: string, time: string, timeZone: string = DEFAULT_TIME_ZONE): number {
  const d = DATE_RE.exec(date);
  const t = TIME_RE.exec(time);
  if (!d || !t) return NaN;
  const [h, mi, s] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (h > 24 || mi > 59 || s > 59 || (h === 24 && (mi > 0 || s > 0))) return NaN;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), h, mi, s);
  if (Number.isNaN(wall)) return NaN;
  // Two passes: the offset at the guessed instant, then at the corrected one (DST edges).
  let ms = wall - zoneOffsetMs(wall, timeZone);
  ms = wall - zoneOffsetMs(ms, timeZone);
  return ms;
}

/** Shifts a local 'YYYY-MM-DD' by whole days. */
export function addDays(date: string, days: number): string {
  const d = DATE_RE.exec(date);
  if (!d) return date;
  const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) + days * DAY_MS;
  const x = new Date(ms);
  return `${pad(x.getUTCFullYear(), 4)}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
}

/** Default replay window: today 07:00–19:00 local time. */
export const DEFAULT_FROM_TIME = '07:00';
export const DEFAULT_TO_TIME = '19:00';

/**
 * The range of a local date and two local times; a `to` at or before `from` ends on the next day
 * (overnight shifts; '00:00'–'00:00' is the whole day).
 */
export function rangeOf(date: string, fromTime: string, toTime: string, timeZone: string = DEFAULT_TIME_ZONE): { from: number; to: number } | null {
  const from = zonedToEpoch(date, fromTime, timeZone);
  let to = zonedToEpoch(date, toTime, timeZone);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  if (to <= from) to = zonedToEpoch(addDays(date, 1), toTime, timeZone);
  return { from, to };
}

export function defaultRange(now: number = Date.now(), timeZone: string = DEFAULT_TIME_ZONE): { from: number; to: number } {
  return rangeOf(zonedDate(now, timeZone), DEFAULT_FROM_TIME, DEFAULT_TO_TIME, timeZone)!;
}

/** Duration in minutes as "1小时5分" / "1 h 5 min" style parts: [hours, minutes]. */
export function splitMinutes(minutes: number): [number, number] {
  const m = Math.max(0, Math.round(minutes));
  return [Math.floor(m / 60), m % 60];
}
