// The incident workflow API for the operator view: the list, one incident's timeline and the
// actions the logged-in user may take, transitions, reports with duplicate hints, categories and
// departments. Writes send the session cookie; a refused write becomes a WorkflowError carrying
// the server's status, field and allowed actions (errorText.ts turns it into Chinese).
import { sendJson } from '../api/sendJson.js';
import type { Static } from 'typebox';
import { ApiClient, ApiError, type ApiClientOptions } from '../api/client.js';
import type {
  AllowedActions, CategoryInfo, DuplicateHint, ReportBody, TimelineEvent, TransitionBody, WorkflowIncident,
} from '../../server/schemas/workflow.js';
import type { IncidentList, IncidentListItem, IncidentListSort } from '../../server/schemas/incidentsList.js';
import type { DispatchDepartment } from '../../server/schemas/incidentsDepartments.js';

export type { DuplicateHint, ReportBody, TimelineEvent, TransitionBody, WorkflowIncident, IncidentList, IncidentListItem, DispatchDepartment };
export type Category = Static<typeof CategoryInfo>;
export type ActionInfo = Static<typeof AllowedActions>['actions'][number];
export type AllowedActionsResult = Static<typeof AllowedActions>;

export interface IncidentListFilters {
  /** state values, 'open' or 'overdue' (comma list on the wire) */
  statuses?: readonly string[];
  categories?: readonly string[];
  sources?: readonly string[];
  township?: string;
  overdue?: boolean;
  q?: string;
  from?: string;
  to?: string;
  sort?: IncidentListSort;
  limit?: number;
  offset?: number;
}

/** A write or read the server refused, with what it said. */
export class WorkflowError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
    readonly body: { statusLabel?: string; allowed?: string[]; [k: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'WorkflowError';
  }
}

const list = (v: readonly string[] | undefined) => (v && v.length ? v.join(',') : undefined);
const num = (v: number | undefined) => (v === undefined ? undefined : String(v));

export class IncidentApi {
  readonly client: ApiClient;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.client = new ApiClient(options);
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  private async request<T>(method: 'GET' | 'POST', path: string, query?: Record<string, string | undefined>, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await sendJson(this.fetchImpl, this.client.url(path, query), method, body, signal, (m) => new WorkflowError(0, m));
    if (res.ok) return (await res.json()) as T;
    let payload: Record<string, unknown> = {};
    try {
      payload = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    throw new WorkflowError(res.status, String(payload.message ?? res.statusText), typeof payload.field === 'string' ? payload.field : null, payload);
  }

  list(f: IncidentListFilters, signal?: AbortSignal): Promise<IncidentList> {
    return this.request<IncidentList>('GET', '/api/incidents/list', {
      status: list(f.statuses), category: list(f.categories), source: list(f.sources), township: f.township,
      overdue: f.overdue === undefined ? undefined : String(f.overdue), q: f.q?.trim() || undefined,
      from: f.from, to: f.to, sort: f.sort, limit: num(f.limit), offset: num(f.offset),
    }, undefined, signal);
  }

  timeline(id: number, signal?: AbortSignal): Promise<{ incident: WorkflowIncident; events: TimelineEvent[] }> {
    return this.request('GET', `/api/incidents/${id}/timeline`, undefined, undefined, signal);
  }

  actions(id: number, signal?: AbortSignal): Promise<AllowedActionsResult> {
    return this.request('GET', `/api/incidents/${id}/actions`, undefined, undefined, signal);
  }

  transition(id: number, body: TransitionBody): Promise<{ incident: WorkflowIncident; event: TimelineEvent }> {
    return this.request('POST', `/api/incidents/${id}/transitions`, undefined, body);
  }

  report(body: ReportBody): Promise<{ incident: WorkflowIncident; possibleDuplicates: DuplicateHint[] }> {
    return this.request('POST', '/api/incidents', undefined, body);
  }

  duplicates(q: { category: string; lon: number; lat: number }, signal?: AbortSignal): Promise<{ duplicates: DuplicateHint[] }> {
    return this.request('GET', '/api/incidents/duplicates', { category: q.category, lon: q.lon.toFixed(6), lat: q.lat.toFixed(6) }, undefined, signal);
  }

  categories(signal?: AbortSignal): Promise<Category[]> {
    return this.request('GET', '/api/incidents/categories', undefined, undefined, signal);
  }

  departments(signal?: AbortSignal): Promise<DispatchDepartment[]> {
    return this.request('GET', '/api/incidents/departments', undefined, undefined, signal);
  }

  /** An incident's id and code, found by either (for 作废 as a duplicate of …). */
  async find(idOrCode: string, signal?: AbortSignal): Promise<{ id: number; code: string } | null> {
    const v = idOrCode.trim();
    if (/^\d+$/.test(v)) {
      try {
        const d = await this.client.incidentDetail(Number(v), signal);
        return { id: d.id, code: d.code };
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return null;
        throw err;
      }
    }
    const res = await this.list({ q: v, from: new Date(Date.now() - 3650 * 86_400_000).toISOString(), limit: 2 }, signal);
    const hit = res.items.find((i) => i.code === v.toUpperCase());
    return hit ? { id: hit.id, code: hit.code } : null;
  }
}

export const incidentApi = new IncidentApi();
