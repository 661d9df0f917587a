// Validation of one reported position: the rules every ingest form (JSON batch, OsmAnd) shares.
export interface RawPosition {
  deviceId: unknown; time: unknown; lon: unknown; lat: unknown;
  speed?: unknown; heading?: unknown; accuracy?: unknown; battery?: unknown;
}

export interface CleanPosition {
  deviceId: string; time: Date; lon: number; lat: number;
  speed: number | null; heading: number | null; accuracy: number | null; battery: number | null;
}

export interface Rejection { field: string; reason: string }

export interface PositionLimits {
  /** Positions more than this far in the future are refused (clock skew allowance). */
  maxFutureMs: number;
  /** Positions older than this are refused (phones buffer offline, but not forever). */
  maxAgeMs: number;
}

export const DEFAULT_LIMITS: PositionLimits = { maxFutureMs: 5 * 60_000, maxAgeMs: 7 * 86_400_000 };

/** ISO 8601 exactly as JavaScript writes it (toISOString) or with an offset: Date parses it as is. */
const STRICT_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch seconds or milliseconds, ISO 8601, or "yyyy-MM-dd HH:mm:ss" (taken as UTC, as Traccar does). */
export function parseTime(value: unknown): Date | null {
  // the common case first, without building a normalised copy of the text
  if (typeof value === 'string' && STRICT_ISO.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    return new Date(value < 1e11 ? value * 1000 : value);
  }
  if (typeof value !== 'string' || value.length > 40) return null;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return parseTime(Number(s));
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${m[8] ? (m[8] === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]) : 'Z'}`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

function optionalNumber(field: string, v: unknown, min: number, max: number): number | null | Rejection {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) return { field, reason: 'must be a finite number' };
  if (n < min || n > max) return { field, reason: `must be between ${min} and ${max}` };
  return n;
}

const isRejection = (v: unknown): v is Rejection => typeof v === 'object' && v !== null && 'reason' in v;

export function validatePosition(p: RawPosition, now: Date, limits: PositionLimits = DEFAULT_LIMITS): CleanPosition | Rejection {
  if (typeof p.deviceId !== 'string' && typeof p.deviceId !== 'number') return { field: 'deviceId', reason: 'is required' };
  const deviceId = String(p.deviceId).trim();
  if (!deviceId || deviceId.length > 64) return { field: 'deviceId', reason: 'must be 1–64 characters' };
  const lon = typeof p.lon === 'string' ? Number(p.lon) : p.lon;
  const lat = typeof p.lat === 'string' ? Number(p.lat) : p.lat;
  if (typeof lon !== 'number' || !Number.isFinite(lon)) return { field: 'lon', reason: 'must be a finite number' };
  if (typeof lat !== 'number' || !Number.isFinite(lat)) return { field: 'lat', reason: 'must be a finite number' };
  if (lon < -180 || lon > 180) return { field: 'lon', reason: 'must be between -180 and 180' };
  if (lat < -90 || lat > 90) return { field: 'lat', reason: 'must be between -90 and 90' };
  if (lon === 0 && lat === 0) return { field: 'lon', reason: '(0,0) is not a real fix' };
  if (p.time === undefined || p.time === null || p.time === '') return { field: 'time', reason: 'is required' };
  const time = parseTime(p.time);
  if (!time) return { field: 'time', reason: 'must be ISO 8601, epoch seconds or milliseconds' };
  if (time.getTime() > now.getTime() + limits.maxFutureMs) return { field: 'time', reason: `is more than ${limits.maxFutureMs / 60_000} minutes in the future` };
  if (time.getTime() < now.getTime() - limits.maxAgeMs) return { field: 'time', reason: `is older than ${Math.round(limits.maxAgeMs / 3_600_000)} hours` };
  const speed = optionalNumber('speed', p.speed, 0, 500);
  if (isRejection(speed)) return speed;
  const heading = optionalNumber('heading', p.heading, 0, 360);
  if (isRejection(heading)) return heading;
  const accuracy = optionalNumber('accuracy', p.accuracy, 0, 100000);
  if (isRejection(accuracy)) return accuracy;
  const battery = optionalNumber('battery', p.battery, 0, 100);
  if (isRejection(battery)) return battery;
  return { deviceId, time, lon, lat, speed, heading: heading === 360 ? 0 : heading, accuracy, battery };
}

export { isRejection };
