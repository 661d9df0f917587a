// The grid editing API (server/routes/gridEdits.ts), typed from the server's schemas. Failures
// throw EditApiError with the status and the body: 422 carries `violations`, 409 `current`.
import { sendJson } from '../api/sendJson.js';
import type { Polygon, Geometry, LineString } from 'geojson';
import type { ChangeResult, Violation } from '../../server/schemas/gridEdits.js';
import type { GridDetail } from '../../server/schemas/grids.js';
import type { RegionCollection } from '../../server/schemas/regions.js';

export type { ChangeResult, Violation, GridDetail, RegionCollection };

/** A feature of GET /api/grids/coverage.geojson. */
export interface CoverageProperties {
  id: number;
  code: string;
  name: string;
  village_code: string;
  kind: 'urban' | 'rural';
  version: number;
}
export interface CoverageFeature {
  type: 'Feature';
  id?: number;
  geometry: Polygon;
  properties: CoverageProperties;
}

export interface HistoryVersion {
  version: number;
  code: string;
  name: string;
  villageCode: string;
  validFrom: string;
  validTo: string | null;
  changedBy: string;
  reason: string;
  changeSetId: number | null;
  areaM2: number;
  geometry: Polygon;
}

export interface ConflictGrid {
  id: number;
  code: string;
  version: number;
  geometry: Polygon;
}

export interface CoverageCheck {
  grids: number;
  countyAreaM2: number;
  coveredAreaM2: number;
  gaps: Array<{ areaM2: number; geometry: Geometry }>;
  overlaps: Array<{ a: string; b: string; areaM2: number; geometry: Geometry }>;
}

export class EditApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: { message?: string; violations?: Violation[]; current?: ConflictGrid[]; field?: string } = {},
  ) {
    super(message);
    this.name = 'EditApiError';
  }
  get violations(): Violation[] {
    return this.body.violations ?? [];
  }
  get current(): ConflictGrid[] {
    return this.body.current ?? [];
  }
}

export interface EditApiOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

export class EditApi {
  constructor(private readonly o: EditApiOptions = {}) {}

  private url(path: string): string {
    return new URL(path, this.o.baseUrl ?? globalThis.location?.origin ?? 'http://localhost').toString();
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const f = this.o.fetch ?? ((i: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(i, init));
    const res = await sendJson(f, this.url(path), method, body, signal, (m) => new EditApiError(0, m));
    if (!res.ok) {
      let b: EditApiError['body'] = {};
      try {
        b = (await res.json()) as EditApiError['body'];
      } catch {
        // not JSON
      }
      throw new EditApiError(res.status, b.message ?? `HTTP ${res.status}`, b);
    }
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  coverage(signal?: AbortSignal) {
    return this.request<{ type: 'FeatureCollection'; features: CoverageFeature[] }>('GET', '/api/grids/coverage.geojson', undefined, signal);
  }
  coverageCheck(signal?: AbortSignal) {
    return this.request<CoverageCheck>('GET', '/api/grids/coverage', undefined, signal);
  }
  regions(level: 'county' | 'township' | 'village', signal?: AbortSignal) {
    return this.request<RegionCollection>('GET', `/api/regions?level=${level}`, undefined, signal);
  }
  gridDetail(id: number, signal?: AbortSignal) {
    return this.request<GridDetail>('GET', `/api/grids/${id}`, undefined, signal);
  }
  history(id: number, signal?: AbortSignal) {
    return this.request<HistoryVersion[]>('GET', `/api/grids/${id}/history`, undefined, signal);
  }
  saveChanges(body: { reason: string; changes: Array<{ id: number; baseVersion: number; geometry: Polygon }>; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', '/api/grids/changes', body);
  }
  split(id: number, body: { baseVersion: number; line: LineString; reason: string; workers?: Record<string, 0 | 1>; names?: [string, string]; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', `/api/grids/${id}/split`, body);
  }
  merge(body: { grids: Array<{ id: number; baseVersion: number }>; reason: string; name?: string; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', '/api/grids/merge', body);
  }
  reassign(id: number, body: { baseVersion: number; villageCode: string; reason: string; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', `/api/grids/${id}/reassign`, body);
  }
  create(body: { geometry: Polygon; villageCode: string; reason: string; name?: string; kind?: 'urban' | 'rural'; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', '/api/grids', body);
  }
  revertGrid(id: number, body: { toVersion: number; baseVersion: number; reason: string; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', `/api/grids/${id}/revert`, body);
  }
  revertChangeSet(changeSetId: number, body: { reason: string; dryRun?: boolean }) {
    return this.request<ChangeResult>('POST', `/api/grids/changes/${changeSetId}/revert`, body);
  }
}
