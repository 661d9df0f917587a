// Typed fetch client of the server API. Response types come from the server's TypeBox schemas
// (type-only imports: nothing of the server is bundled).
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { GridCollection, GridFeature, GridProperties } from '../../server/schemas/grids.js';
import type { RegionCollection, RegionFeature, RegionLevel, RegionProperties } from '../../server/schemas/regions.js';

export type { GridCollection, GridFeature, GridProperties, RegionCollection, RegionFeature, RegionLevel, RegionProperties };

import type { Health } from '../../server/schemas/health.js';
import type { WorkerEventItem } from '../../server/schemas/patrols.js';
import type { ClientConfig } from '../../server/routes/clientConfig.js';
import type { Kpis } from '../../server/schemas/kpis.js';
import type { GridDetail, GridIndicator, GridIndicatorName } from '../../server/schemas/grids.js';
import type { CameraCollection, CameraProperties } from '../../server/routes/cameras.js';
import type { Heatmap, IncidentDetail, IncidentPointCollection, IncidentPointProperties } from '../../server/schemas/incidents.js';
import type { SearchResult } from '../../server/routes/search.js';
import type { LatestPosition } from '../../server/schemas/positions.js';
import { authHeaders } from '../auth/token.js';
export type {
  Health, ClientConfig, Kpis, GridDetail, GridIndicator, GridIndicatorName, CameraCollection, CameraProperties, Heatmap,
  IncidentDetail, IncidentPointCollection, IncidentPointProperties, SearchResult, LatestPosition,
};
export type CameraFeature = CameraCollection['features'][number];
export type IncidentPointFeature = IncidentPointCollection['features'][number];

/** GET /api/incidents/recent: one row of the ticker. */
export interface RecentIncident {
  id: number;
  code: string;
  category: string;
  priority: number;
  status: string;
  township: string | null;
  village: string | null;
  reportedAt: string;
  lon: number;
  lat: number;
}

/** GET /api/tracks: one worker's track, [lon, lat, epoch seconds] simplified for the zoom. */
export interface Track {
  workerId: number;
  name: string;
  gridId: number;
  path: Array<[number, number, number]>;
  points: number;
  distanceM: number;
  stops: Array<{ lon: number; lat: number; from: string; to: string; minutes: number }>;
}

/** Filters shared by the incident queries (lists are sent comma-separated; empty = all). */
export interface IncidentQuery {
  from?: string;
  to?: string;
  categories?: readonly string[];
  sources?: readonly string[];
  statuses?: readonly string[];
  township?: string;
  bbox?: readonly number[];
}

const list = (v: readonly string[] | undefined) => (v && v.length ? v.join(',') : undefined);
const bboxParam = (b: readonly number[] | undefined) => (b ? b.map((v) => +v.toFixed(5)).join(',') : undefined);

export function incidentParams(q: IncidentQuery): Record<string, string | undefined> {
  return {
    from: q.from,
    to: q.to,
    category: list(q.categories),
    source: list(q.sources),
    status: list(q.statuses),
    township: q.township,
    bbox: bboxParam(q.bbox),
  };
}

/** GET /api/basemap: generated roads and water for the offline basemap (server/routes/basemap.ts). */
export interface BasemapProperties {
  kind: 'road' | 'water';
  /** road: expressway | national | provincial | county | street | village; water: reservoir | river */
  class: string;
  name: string | null;
}
export type BasemapFeature = Feature<Geometry, BasemapProperties>;
export type BasemapCollection = FeatureCollection<Geometry, BasemapProperties>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the server; default: the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

function defaultBase(): string {
  return globalThis.location?.href ?? 'http://localhost/';
}

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? defaultBase();
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  url(path: string, query?: Record<string, string | undefined>): string {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    return url.toString();
  }

  async getJson<T>(path: string, query?: Record<string, string | undefined>, signal?: AbortSignal): Promise<T> {
    const url = this.url(path, query);
    // the wall screen's bearer token when it has one; a logged-in browser's cookie goes by itself
    const res = await this.fetchImpl(url, { headers: { accept: 'application/json', ...authHeaders() }, signal });
    if (!res.ok) {
      let detail = res.statusText;
      try {
        const body = (await res.json()) as { message?: string };
        if (body?.message) detail = body.message;
      } catch {
        // not JSON
      }
      throw new ApiError(res.status, url, `${res.status} ${detail} (${path})`);
    }
    return (await res.json()) as T;
  }

  health(signal?: AbortSignal): Promise<Health> {
    return this.getJson<Health>('/api/health', undefined, signal);
  }

  /** Administrative areas of one level (county outline, 21 townships, 373 villages). */
  regions(level: RegionLevel, signal?: AbortSignal): Promise<RegionCollection> {
    return this.getJson<RegionCollection>('/api/regions', { level }, signal);
  }

  /** Base map, time zone and whether the data is generated demo data. */
  config(signal?: AbortSignal): Promise<ClientConfig> {
    return this.getJson<ClientConfig>('/api/config', undefined, signal);
  }

  /** The day's figures for the KPI panels (all computed by the server). */
  kpis(signal?: AbortSignal): Promise<Kpis> {
    return this.getJson<Kpis>('/api/kpis', undefined, signal);
  }

  /** A value per grid to colour the map by. */
  gridIndicator(indicator: GridIndicatorName, window: { from?: string; to?: string } = {}, signal?: AbortSignal): Promise<GridIndicator> {
    return this.getJson<GridIndicator>('/api/grids/indicators', { indicator, from: window.from, to: window.to }, signal);
  }

  gridDetail(id: number, signal?: AbortSignal): Promise<GridDetail> {
    return this.getJson<GridDetail>(`/api/grids/${id}`, undefined, signal);
  }

  cameras(signal?: AbortSignal): Promise<CameraCollection> {
    return this.getJson<CameraCollection>('/api/cameras', undefined, signal);
  }

  /** Incident counts binned by the server for this zoom. */
  heatmap(zoom: number, q: IncidentQuery, signal?: AbortSignal): Promise<Heatmap> {
    return this.getJson<Heatmap>('/api/incidents/heatmap', { zoom: String(zoom), ...incidentParams(q) }, signal);
  }

  /** Individual incidents (close zoom), newest first. */
  incidents(q: IncidentQuery & { limit?: number }, signal?: AbortSignal): Promise<IncidentPointCollection> {
    return this.getJson<IncidentPointCollection>(
      '/api/incidents',
      { ...incidentParams(q), limit: q.limit === undefined ? undefined : String(q.limit) },
      signal,
    );
  }

  incidentDetail(id: number, signal?: AbortSignal): Promise<IncidentDetail> {
    return this.getJson<IncidentDetail>(`/api/incidents/${id}`, undefined, signal);
  }

  /** Worker events of the last day, newest first (GET /api/patrols/events). */
  patrolEvents(limit = 50, signal?: AbortSignal): Promise<WorkerEventItem[]> {
    return this.getJson<WorkerEventItem[]>('/api/patrols/events', { limit: String(limit) }, signal);
  }

  recentIncidents(priority = 1, limit = 20, signal?: AbortSignal): Promise<RecentIncident[]> {
    return this.getJson<RecentIncident[]>('/api/incidents/recent', { priority: String(priority), limit: String(limit) }, signal);
  }

  tracks(
    q: { workers?: readonly number[]; grid?: number; village?: string; from: string; to: string; zoom?: number },
    signal?: AbortSignal,
  ): Promise<Track[]> {
    return this.getJson<Track[]>(
      '/api/tracks',
      {
        worker: q.workers?.length ? q.workers.join(',') : undefined,
        grid: q.grid === undefined ? undefined : String(q.grid),
        village: q.village,
        from: q.from,
        to: q.to,
        zoom: q.zoom === undefined ? undefined : String(Math.round(q.zoom)),
      },
      signal,
    );
  }

  /** Latest position, state and name of the workers (optionally in a box). */
  latestPositions(q: { bbox?: readonly number[]; township?: string } = {}, signal?: AbortSignal): Promise<LatestPosition[]> {
    return this.getJson<LatestPosition[]>('/api/positions/latest', { bbox: bboxParam(q.bbox), township: q.township }, signal);
  }

  search(q: string, signal?: AbortSignal): Promise<SearchResult[]> {
    return this.getJson<SearchResult[]>('/api/search', { q }, signal);
  }

  /** Roads and water drawn by the basemap. */
  basemap(signal?: AbortSignal): Promise<BasemapCollection> {
    return this.getJson<BasemapCollection>('/api/basemap', undefined, signal);
  }

  /**
   * All grids. Fetched as TopoJSON (shared borders once, quantised: about a third of the bytes)
   * and decoded to the same GeoJSON the `format=geojson` form returns.
   */
  async grids(options: { bbox?: [number, number, number, number]; signal?: AbortSignal } = {}): Promise<GridCollection> {
    const topology = await this.getJson<Topology>(
      '/api/grids',
      { format: 'topojson', bbox: options.bbox?.join(',') },
      options.signal,
    );
    return decodeGridTopology(topology);
  }
}

/** TopoJSON Topology with object `grids` → GeoJSON FeatureCollection of grid polygons. */
export function decodeGridTopology(topology: Topology): GridCollection {
  const object = topology.objects?.grids as GeometryCollection<GridProperties> | undefined;
  if (!object || object.type !== 'GeometryCollection') {
    throw new Error('TopoJSON response has no GeometryCollection named "grids"');
  }
  const fc = feature(topology, object);
  const features: GridFeature[] = [];
  let skipped = 0;
  for (const f of fc.features) {
    // The schema says a grid is one Polygon; anything else would break the layers, so it is left
    // out, loudly.
    if (f.geometry?.type !== 'Polygon' || !f.properties) {
      skipped++;
      continue;
    }
    features.push({
      type: 'Feature',
      id: f.id ?? f.properties.id,
      geometry: { type: 'Polygon', coordinates: f.geometry.coordinates },
      properties: f.properties,
    });
  }
  if (skipped) console.warn(`decodeGridTopology: ${skipped} grid(s) without a Polygon geometry left out`);
  return { type: 'FeatureCollection', features };
}

/** The client the app uses (same origin; Vite's dev server proxies /api to the API server). */
export const api = new ApiClient();
