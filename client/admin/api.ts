// The admin API (/api/admin/*, role admin) for the admin page. Types come from the server's schemas.
import type { Static } from 'typebox';
import type {
  AdminDepartment, AdminDevice, AdminOpen311Client, AdminToken, AdminUser, CreateUserBody, UpdateUserBody,
} from '../../server/schemas/admin.js';
import type { CreateTokenBody } from '../../server/schemas/admin.js';
import { authHeaders } from '../auth/token.js';

export type { AdminDepartment, AdminDevice, AdminOpen311Client, AdminToken, AdminUser, CreateUserBody, UpdateUserBody };
export type CreateToken = Static<typeof CreateTokenBody>;

/** A refused request: status and the server's message (which names the field). */
export class AdminApiError extends Error {
  constructor(readonly status: number, message: string, readonly field?: string) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface AdminApiOptions { baseUrl?: string; fetch?: typeof fetch }

export class AdminApi {
  constructor(private readonly o: AdminApiOptions = {}) {}

  private async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const f = this.o.fetch ?? ((i: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(i, init));
    const res = await f(new URL(path, this.o.baseUrl ?? globalThis.location?.origin ?? 'http://localhost').toString(), {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...authHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const b = (await res.json().catch(() => ({}))) as { message?: string; field?: string };
      throw new AdminApiError(res.status, b.message ?? `HTTP ${res.status}`, b.field);
    }
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  users = () => this.request<AdminUser[]>('GET', '/api/admin/users');
  createUser = (b: CreateUserBody) => this.request<{ user: AdminUser; password?: string }>('POST', '/api/admin/users', b);
  updateUser = (id: number, b: UpdateUserBody) => this.request<AdminUser>('PATCH', `/api/admin/users/${id}`, b);
  resetPassword = (id: number) => this.request<{ password: string }>('POST', `/api/admin/users/${id}/password`, {});
  tokens = () => this.request<AdminToken[]>('GET', '/api/admin/tokens');
  createToken = (b: CreateToken) => this.request<{ token: string; ref: string; expiresAt: string }>('POST', '/api/admin/tokens', b);
  revokeToken = (ref: string) => this.request<void>('DELETE', `/api/admin/tokens/${ref}`);
  devices = () => this.request<AdminDevice[]>('GET', '/api/admin/devices');
  issueDeviceKey = (deviceId: string) => this.request<{ deviceId: string; key: string }>('POST', `/api/admin/devices/${encodeURIComponent(deviceId)}/key`);
  revokeDeviceKey = (deviceId: string) => this.request<void>('DELETE', `/api/admin/devices/${encodeURIComponent(deviceId)}/key`);
  open311Clients = () => this.request<AdminOpen311Client[]>('GET', '/api/admin/open311-clients');
  createOpen311Client = (name: string) => this.request<{ client: AdminOpen311Client; apiKey: string }>('POST', '/api/admin/open311-clients', { name });
  revokeOpen311Client = (id: number) => this.request<void>('DELETE', `/api/admin/open311-clients/${id}`);
  departments = () => this.request<AdminDepartment[]>('GET', '/api/admin/departments');
}
