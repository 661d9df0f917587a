// Authorised requests for tests: a user of some role with a bearer token of its own (made directly in
// the database, as an administrator would issue it), and app.inject that sends it.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { newToken, tokenHash } from '../../server/domain/passwords.js';
import type { Role } from '../../server/schemas/auth.js';
import { createUser } from './users.js';

export interface TestUser { id: number; username: string; token: string; headers: { authorization: string } }

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A token for `userId` (api: bearer for another system; session: a browser login; screen: the wall). */
export async function issueTestToken(pool: pg.Pool, userId: number, kind: 'api' | 'session' | 'screen' = 'api', hours = 12): Promise<string> {
  const token = newToken();
  await pool.query(`INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1, $2, $3, 'test', now() + make_interval(secs => $4))`,
    [tokenHash(token), userId, kind, hours * 3600]);
  return token;
}

/** A new user of `role` (a dispatcher limited to `township` when given) with a bearer token. */
export async function userWithToken(pool: pg.Pool, role: Role = 'viewer', township?: string, kind: 'api' | 'session' | 'screen' = 'api'): Promise<TestUser> {
  const u = await createUser(pool, role, township);
  const token = await issueTestToken(pool, u.id, kind);
  return { ...u, token, headers: bearer(token) };
}

export type Inject = (opts: string | InjectOptions) => Promise<LightMyRequestResponse>;

/** app.inject that sends `token` as a bearer, unless the request brings its own credentials. */
export function authorisedInject(app: FastifyInstance, token: string): Inject {
  return (opts) => {
    const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
    const headers = { ...(o.headers ?? {}) } as Record<string, unknown>;
    if (headers.authorization === undefined && headers.cookie === undefined) headers.authorization = `Bearer ${token}`;
    return app.inject({ ...o, headers } as InjectOptions);
  };
}
