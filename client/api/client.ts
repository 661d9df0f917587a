// Typed fetch client of the server API. Response types come from the server's TypeBox schemas
// (type-only imports: nothing of the server is bundled).
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { GridCollection, GridFeature, GridProperties } from '../../server/schemas/grids.js';
import type { RegionCollection, RegionFeature, RegionLevel, RegionProperties } from '../../server/schemas/regions.js';

export type { GridCollection, GridFeature, GridProperties, RegionCollection, RegionFeature, RegionLevel, RegionProperties };

import type { Health } from '../../server/schemas/health.js';
export type { Health };

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
    const res = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal });
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
