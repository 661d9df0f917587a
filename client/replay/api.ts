// The replay's server calls, on the app's ApiClient (same origin, same error handling):
//   GET /api/tracks?worker=1,2|grid=ID|village=CODE&from=&to=&zoom=
//   GET /api/incidents?from=&to=&bbox=&limit=
//   GET /api/search?q=   GET /api/grids/:id   GET /api/positions/latest
import type { ApiClient } from '../api/client.js';
import type {
  GridDetail,
  IncidentPointCollection,
  LatestPosition,
  ReplayIncident,
  ReplayRange,
  ReplaySelection,
  SearchResult,
  Track,
} from './types.js';

/** `worker=` takes at most 200 ids (server pattern); grids and villages resolve up to 500 server-side. */
export const MAX_WORKERS = 200;
/** Incidents fetched for one replay (newest first on the server; the panel says when cut). */
export const INCIDENT_LIMIT = 3000;
/** Margin around the tracks when asking for incidents, degrees (~300 m). */
const INCIDENT_MARGIN_DEG = 0.003;

/** Simplification zoom asked from the server: finer for a few workers (they are followed close up). */
export function tracksZoom(selection: ReplaySelection): number {
  if (selection.kind === 'workers') return selection.workers.length <= 20 ? 16 : 15;
  if (selection.kind === 'grid') return 16;
  return 15;
}

export function selectionKey(selection: ReplaySelection | null): string {
  if (!selection) return '';
  switch (selection.kind) {
    case 'workers':
      return `w:${selection.workers.map((w) => w.id).join(',')}`;
    case 'grid':
      return `g:${selection.grid.id}`;
    case 'village':
      return `v:${selection.village.code}`;
  }
}

/** Is there anything to load? (an empty worker list is not) */
export function isLoadable(selection: ReplaySelection | null): selection is ReplaySelection {
  return !!selection && (selection.kind !== 'workers' || selection.workers.length > 0);
}

export function tracksQuery(selection: ReplaySelection, range: ReplayRange, zoom = tracksZoom(selection)): Record<string, string> {
  const who: Record<string, string> =
    selection.kind === 'workers'
      ? { worker: selection.workers.slice(0, MAX_WORKERS).map((w) => w.id).join(',') }
      : selection.kind === 'grid'
        ? { grid: String(selection.grid.id) }
        : { village: selection.village.code };
  return { ...who, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), zoom: String(zoom) };
}

export function loadTracks(api: ApiClient, selection: ReplaySelection, range: ReplayRange, signal?: AbortSignal): Promise<Track[]> {
  return api.getJson<Track[]>('/api/tracks', tracksQuery(selection, range), signal);
}

export function incidentsQuery(range: ReplayRange, bbox: [number, number, number, number], limit = INCIDENT_LIMIT): Record<string, string> {
  const [minX, minY, maxX, maxY] = bbox;
  const box = [minX - INCIDENT_MARGIN_DEG, minY - INCIDENT_MARGIN_DEG, maxX + INCIDENT_MARGIN_DEG, maxY + INCIDENT_MARGIN_DEG]
    .map((v) => v.toFixed(6))
    .join(',');
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString(), bbox: box, limit: String(limit) };
}

export interface IncidentsResult {
  /** Oldest first (the order they appear in). */
  incidents: ReplayIncident[];
  total: number;
  truncated: boolean;
}

export function toReplayIncidents(fc: IncidentPointCollection): IncidentsResult {
  const incidents: ReplayIncident[] = [];
  for (const f of fc.features) {
    const p = f.properties;
    const at = Date.parse(p.reportedAt);
    const [lon, lat] = f.geometry.coordinates;
    if (!Number.isFinite(at) || !Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    incidents.push({ id: p.id, code: p.code, category: p.category, source: p.source, status: p.status, priority: p.priority, lon, lat, at });
  }
  incidents.sort((a, b) => a.at - b.at || a.id - b.id);
  return { incidents, total: fc.numberMatched ?? incidents.length, truncated: !!fc.truncated };
}

export async function loadIncidents(
  api: ApiClient,
  range: ReplayRange,
  bbox: [number, number, number, number],
  signal?: AbortSignal,
): Promise<IncidentsResult> {
  const fc = await api.getJson<IncidentPointCollection>('/api/incidents', incidentsQuery(range, bbox), signal);
  return toReplayIncidents(fc);
}

/** Grids and villages matching the text (townships cannot be replayed as a whole). */
export async function searchAreas(api: ApiClient, q: string, signal?: AbortSignal): Promise<SearchResult[]> {
  const results = await api.getJson<SearchResult[]>('/api/search', { q, limit: '20' }, signal);
  return results.filter((r) => r.kind === 'grid' || r.kind === 'village');
}

export function loadGridDetail(api: ApiClient, id: number, signal?: AbortSignal): Promise<GridDetail> {
  return api.getJson<GridDetail>(`/api/grids/${id}`, undefined, signal);
}

/** Every worker that has reported a position (name picker); one request per client, shared. */
const latestCache = new WeakMap<ApiClient, Promise<LatestPosition[]>>();
export function loadWorkerDirectory(api: ApiClient): Promise<LatestPosition[]> {
  let p = latestCache.get(api);
  if (!p) {
    p = api.getJson<LatestPosition[]>('/api/positions/latest');
    // A failed load may be retried on the next search.
    p.catch(() => latestCache.delete(api));
    latestCache.set(api, p);
  }
  return p;
}
