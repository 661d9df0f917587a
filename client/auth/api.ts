// The auth API: log in (POST /api/auth/login → HttpOnly session cookie), who am I, log out.
import type { CurrentUser, Role } from '../../server/schemas/auth.js';
import { authHeaders, forgetToken } from './token.js';

export type { CurrentUser, Role };

/** A failed login: HTTP status (401 wrong password, 429 too many attempts, 0 network) and the wait for 429. */
export class LoginError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfterS: number | null = null) {
    super(message);
    this.name = 'LoginError';
  }
}

export interface AuthApiOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
}

const base = (o: AuthApiOptions) => o.baseUrl ?? globalThis.location?.origin ?? 'http://localhost';
const doFetch = (o: AuthApiOptions): typeof fetch => o.fetch ?? ((input, init) => globalThis.fetch(input, init));

export async function login(username: string, password: string, o: AuthApiOptions = {}): Promise<CurrentUser> {
  let res: Response;
  try {
    res = await doFetch(o)(new URL('/api/auth/login', base(o)).toString(), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch (err) {
    throw new LoginError(0, String(err));
  }
  if (res.ok) {
    // From now on the session cookie speaks for this tab, not a screen token it may hold.
    forgetToken();
    return ((await res.json()) as { user: CurrentUser }).user;
  }
  let message = res.statusText;
  try {
    message = ((await res.json()) as { message?: string }).message ?? message;
  } catch {
    // not JSON
  }
  const retry = Number(res.headers.get('retry-after'));
  throw new LoginError(res.status, message, Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** The logged-in user, or null when not logged in (401). */
export async function fetchMe(o: AuthApiOptions = {}): Promise<CurrentUser | null> {
  const res = await doFetch(o)(new URL('/api/auth/me', base(o)).toString(), { credentials: 'same-origin', headers: { accept: 'application/json', ...authHeaders() } });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`GET /api/auth/me: HTTP ${res.status}`);
  return (await res.json()) as CurrentUser;
}

/** Ends the cookie session. A screen token is only dropped from this tab: revoking it would blank every wall using it. */
export async function logout(o: AuthApiOptions = {}): Promise<void> {
  forgetToken();
  await doFetch(o)(new URL('/api/auth/logout', base(o)).toString(), { method: 'POST', credentials: 'same-origin' });
}

/** Has this user one of `roles` (an administrator has them all; no roles: any user)? */
export const hasRole = (user: CurrentUser | null | undefined, roles?: readonly Role[]): boolean =>
  Boolean(user) && (!roles || roles.length === 0 || user!.role === 'admin' || roles.includes(user!.role));

/** May this user edit grids? */
export const canEdit = (user: CurrentUser | null | undefined): boolean => user?.role === 'editor' || user?.role === 'admin';
