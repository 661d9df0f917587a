// Distance and stops of the loaded tracks, as the panel shows them, and the activity strip of each
// worker (on the move / stopped / no signal across the range). Pure functions.
import type { ReplayT } from './strings.js';
import { splitMinutes } from './time.js';
import type { PreparedTrack } from './types.js';

export interface TrackSummary {
  workerId: number;
  /** Server's length of the full line, km. */
  distanceKm: number;
  stopCount: number;
  stopMinutes: number;
  longestStopMinutes: number;
  /** Minutes inside gaps (no positions, not a stop). */
  gapMinutes: number;
  startMs: number;
  endMs: number;
}

export function summarizeTrack(track: PreparedTrack): TrackSummary {
  let gapSeconds = 0;
  for (let i = 0; i < track.gapAfter.length; i++) if (track.gapAfter[i]) gapSeconds += track.times[i + 1] - track.times[i];
  return {
    workerId: track.workerId,
    distanceKm: track.distanceM / 1000,
    stopCount: track.stops.length,
    stopMinutes: track.stopMinutes,
    longestStopMinutes: track.stops.reduce((m, s) => Math.max(m, s.minutes), 0),
    gapMinutes: gapSeconds / 60,
    startMs: track.startMs,
    endMs: track.endMs,
  };
}

export interface TotalsSummary {
  workers: number;
  distanceKm: number;
  stopCount: number;
  stopMinutes: number;
}

export function summarizeAll(tracks: readonly PreparedTrack[]): TotalsSummary {
  let distanceM = 0;
  let stopCount = 0;
  let stopMinutes = 0;
  for (const t of tracks) {
    distanceM += t.distanceM;
    stopCount += t.stops.length;
    stopMinutes += t.stopMinutes;
  }
  return { workers: tracks.length, distanceKm: distanceM / 1000, stopCount, stopMinutes };
}

/** "3.42" below 10 km, "12.3" above: the precision a dispatcher reads. */
export function formatKm(km: number, locale: string): string {
  const digits = km < 10 ? 2 : 1;
  return km.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "1小时5分" / "45分钟" (en: "1 h 5 min" / "45 min"). */
export function formatDuration(minutes: number, t: ReplayT): string {
  const [h, m] = splitMinutes(minutes);
  return h > 0 ? t('duration.hm', { h, m }) : t('duration.m', { m });
}

export type ActivityKind = 'move' | 'stop' | 'gap';

/** A stretch of the activity strip, as fractions [0, 1] of the range. */
export interface ActivitySpan {
  kind: ActivityKind;
  start: number;
  end: number;
}

/**
 * What the worker did across the range: on the move between the first and last position, with
 * stops and gaps over it. Spans are clipped to the range and expressed as fractions of it.
 */
export function activitySpans(track: PreparedTrack, from: number, to: number): ActivitySpan[] {
  const len = to - from;
  if (!(len > 0) || !track.times.length) return [];
  const frac = (ms: number) => Math.min(1, Math.max(0, (ms - from) / len));
  const spans: ActivitySpan[] = [];
  const push = (kind: ActivityKind, a: number, b: number) => {
    const start = frac(a);
    const end = frac(b);
    if (end > start) spans.push({ kind, start, end });
  };
  push('move', track.startMs, track.endMs);
  for (let i = 0; i < track.gapAfter.length; i++) {
    if (track.gapAfter[i]) push('gap', track.times[i] * 1000, track.times[i + 1] * 1000);
  }
  for (const s of track.stops) push('stop', s.fromMs, s.toMs);
  return spans;
}

/**
 * A village's name as people say it: official names end in 居民委员会 / 村民委员会 / 村委会 (the
 * committees): 牛山社区居民委员会 → 牛山社区, 英疃村委会 → 英疃村.
 */
export function shortAreaName(name: string): string {
  return name
    .replace(/居民委员会$/, '')
    .replace(/村民?委员?会$/, '村')
    .replace(/委员会$/, '');
}

/** "牛山街道 · 英疃村委会" → "牛山街道 · 英疃村". */
export function shortContext(context: string | undefined): string {
  return (context ?? '').split(' · ').map(shortAreaName).join(' · ');
}
