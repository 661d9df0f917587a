// The replay's state in the address, so a replay can be linked to (from the operator view: "replay
// this worker's day") and shared:
//   /replay?worker=12,15&from=2026-11-27T07:00:00%2B08:00&to=...&follow=12
//   /replay?grid=205&from=...&to=...        /replay?village=320722001201&from=...&to=...
import { defaultRange, MAX_RANGE_MS } from './time.js';
import type { ReplayRange, ReplaySelection } from './types.js';
import { MAX_WORKERS } from './api.js';

export interface ReplayUrlState {
  selection: ReplaySelection | null;
  range: ReplayRange;
  follow: number | null;
}

const positiveInt = (s: string | null) => (s && /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : null);

export function parseReplayQuery(search: string, timeZone?: string, now: number = Date.now()): ReplayUrlState {
  const q = new URLSearchParams(search);
  let selection: ReplaySelection | null = null;
  const workers = (q.get('worker') ?? '')
    .split(',')
    .map((s) => positiveInt(s.trim()))
    .filter((n): n is number => n !== null);
  const grid = positiveInt(q.get('grid'));
  const village = q.get('village');
  if (workers.length) {
    selection = { kind: 'workers', workers: [...new Set(workers)].slice(0, MAX_WORKERS).map((id) => ({ id, name: '' })) };
  } else if (grid !== null) {
    selection = { kind: 'grid', grid: { id: grid, code: '', name: '' } };
  } else if (village && /^\d{12}$/.test(village)) {
    selection = { kind: 'village', village: { id: 0, code: village, name: '' } };
  }
  const from = Date.parse(q.get('from') ?? '');
  const to = Date.parse(q.get('to') ?? '');
  const range = Number.isFinite(from) && Number.isFinite(to) && from < to && to - from <= MAX_RANGE_MS ? { from, to } : defaultRange(now, timeZone);
  return { selection, range, follow: positiveInt(q.get('follow')) };
}

export function replayQuery({ selection, range, follow }: ReplayUrlState): string {
  const q = new URLSearchParams();
  if (selection?.kind === 'workers' && selection.workers.length) q.set('worker', selection.workers.map((w) => w.id).join(','));
  if (selection?.kind === 'grid') q.set('grid', String(selection.grid.id));
  if (selection?.kind === 'village') q.set('village', selection.village.code);
  q.set('from', new Date(range.from).toISOString());
  q.set('to', new Date(range.to).toISOString());
  if (follow !== null) q.set('follow', String(follow));
  return `?${q.toString()}`;
}

/**
 * Link to a prepared replay, e.g. from the operator view's worker card:
 *   replayHref({ workers: [12], follow: 12 })                     // today 07:00–19:00
 *   replayHref({ grid: 205, range: { from, to } })
 */
export function replayHref(
  opts: { workers?: number[]; grid?: number; village?: string; range?: ReplayRange; follow?: number; timeZone?: string },
  path = '/replay',
): string {
  const selection: ReplaySelection | null = opts.workers?.length
    ? { kind: 'workers', workers: opts.workers.map((id) => ({ id, name: '' })) }
    : opts.grid !== undefined
      ? { kind: 'grid', grid: { id: opts.grid, code: '', name: '' } }
      : opts.village
        ? { kind: 'village', village: { id: 0, code: opts.village, name: '' } }
        : null;
  return `${path}${replayQuery({ selection, range: opts.range ?? defaultRange(Date.now(), opts.timeZone), follow: opts.follow ?? null })}`;
}
