// Who is calling: a session cookie (browsers), or a bearer token (API clients, the wall screen).
// Tokens are random; only their SHA-256 is stored. Routes declare the roles they need with
// `app.requireRole(...)`; a dispatcher's township scope is on `request.user.township`.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { newToken, tokenHash } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import type { CurrentUser, Role } from '../schemas/auth.js';

export const SESSION_COOKIE = 'gridcc_session';
export const SESSION_HOURS = 12;

declare module 'fastify' {
  interface FastifyRequest { user: CurrentUser | null; tokenHash: Buffer | null }
  interface FastifyInstance {
    requireRole(...roles: Role[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    issueToken(userId: number, kind: 'session' | 'api' | 'screen', hours: number | null, label?: string): Promise<{ token: string; expiresAt: Date | null }>;
    userForToken(token: string): Promise<CurrentUser | null>;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** The token a request carries: `Authorization: Bearer …` first, then the session cookie. */
export function requestToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}

async function authPlugin(app: FastifyInstance) {
  // A few seconds of caching spares a query per request; revocation still takes effect within it.
  const cache = new Map<string, { user: CurrentUser | null; until: number }>();
  const CACHE_MS = 5000;

  const lookup = async (hash: Buffer): Promise<CurrentUser | null> => {
    const key = hash.toString('base64');
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.user;
    const { rows } = await app.db.pool.query(`
      UPDATE auth_tokens a SET last_used_at = now()
      FROM users u LEFT JOIN regions t ON t.id = u.township_id
      WHERE a.token_hash = $1 AND u.id = a.user_id AND u.active AND a.revoked_at IS NULL
        AND (a.expires_at IS NULL OR a.expires_at > now())
      RETURNING u.id, u.username, u.display_name, u.role, t.code AS township`, [hash]);
    const user = rows.length ? { id: rows[0].id, username: rows[0].username, displayName: rows[0].display_name, role: rows[0].role, township: rows[0].township } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { user, until: Date.now() + CACHE_MS });
    return user;
  };

  app.decorateRequest('user', null);
  app.decorateRequest('tokenHash', null);
  app.addHook('onRequest', async (request) => {
    const token = requestToken(request);
    if (!token || token.length > 200) return;
    const hash = tokenHash(token);
    request.user = await lookup(hash);
    if (request.user) request.tokenHash = hash;
  });

  app.decorate('userForToken', async (token: string) => (token.length > 200 ? null : lookup(tokenHash(token))));

  app.decorate('requireRole', (...roles: Role[]) => async (request: FastifyRequest) => {
    if (!request.user) throw new HttpError(401, 'login required');
    if (request.user.role !== 'admin' && !roles.includes(request.user.role)) {
      throw new HttpError(403, `role ${request.user.role} may not do this; needs ${roles.join(' or ')}`, undefined, { allowedRoles: roles });
    }
  });

  app.decorate('issueToken', async (userId: number, kind: 'session' | 'api' | 'screen', hours: number | null, label?: string) => {
    const token = newToken();
    const expiresAt = hours === null ? null : new Date(Date.now() + hours * 3_600_000);
    await app.db.pool.query('INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [tokenHash(token), userId, kind, label ?? null, expiresAt]);
    return { token, expiresAt };
  });

  /** Forget a revoked token at once in this process. */
  app.addHook('onResponse', async (request) => {
    if (request.routeOptions.url === '/api/auth/logout' && request.tokenHash) cache.delete(request.tokenHash.toString('base64'));
  });
}

export default fp(authPlugin, { name: 'auth' });
