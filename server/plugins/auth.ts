// Who is calling: a session cookie (browsers), or a bearer token (API clients, the wall screen).
// Tokens are random; only their SHA-256 is stored. Every route needs a logged-in user unless it is
// on the allow-list below (checked centrally, so a new route is protected by default); routes
// declare the roles they need on top with `app.requireRole(...)`; a dispatcher's township scope is
// on `request.user.township`.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { newToken, tokenHash } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import type { CurrentUser, Role } from '../schemas/auth.js';

export const SESSION_COOKIE = 'gridcc_session';
export const SESSION_HOURS = 12;

/** public: anyone; own-key: the route checks a key of its own (phones, connected systems); user: a logged-in user or token. */
export type Access = 'public' | 'own-key' | 'user';
/** roles: what `app.requireRole(...)` in the route's preHandler asks for (checked here already, before the body is even parsed). */
export interface RouteAccess { method: string; url: string; access: Access; roles: Role[] | null }

const ROLES = Symbol('roles');
type RoleCheck = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & { [ROLES]?: Role[] };

function forbidden(user: CurrentUser, roles: Role[]): HttpError | null {
  if (user.role === 'admin' || roles.includes(user.role)) return null;
  return new HttpError(403, `role ${user.role} may not do this; needs ${roles.join(' or ')}`, undefined, { allowedRoles: roles });
}

// The only routes open without a login (HEAD goes with GET).
const PUBLIC = new Set([
  'GET /api/health', 'GET /api/ready', 'GET /api/config', 'POST /api/auth/login',
  // logging out only ends the session it is sent with
  'POST /api/auth/logout',
  // the client's app shell for its own routes (/screen, /edit, ...): no data in it
  'GET /*',
]);
// Phones send a device key (POST /api/positions, /osmand); the 12345 hotline an Open311 api_key.
const OWN_KEY = new Set([
  'POST /api/positions', 'GET /osmand', 'POST /osmand', 'PUT /osmand',
  'POST /open311/v2/requests.json', 'POST /open311/v2/requests.xml', 'POST /open311/v2/requests/:id/:file',
]);

/** Who may call a route, from its method and URL pattern (and static files by their route config). */
export function accessOf(method: string, url: string, config?: unknown): Access {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  if (PUBLIC.has(key)) return 'public';
  if (OWN_KEY.has(key)) return 'own-key';
  if (url === '/docs' || url.startsWith('/docs/')) return 'public';
  // @fastify/static's routes for the built client carry the file they serve
  if ((method === 'GET' || method === 'HEAD') && config && typeof config === 'object' && 'file' in config && 'rootPath' in config) return 'public';
  return 'user';
}

declare module 'fastify' {
  interface FastifyRequest { user: CurrentUser | null; tokenHash: Buffer | null }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with who may call it (for the authorisation tests). */
    routeAccess: RouteAccess[];
    requireRole(...roles: Role[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    issueToken(userId: number, kind: 'session' | 'api' | 'screen', hours: number | null, label?: string): Promise<{ token: string; expiresAt: Date | null }>;
    userForToken(token: string): Promise<CurrentUser | null>;
    /** Forget the cached users of tokens, after a revocation or a change of role. */
    forgetTokens(): void;
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

  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', routeAccess);
  const routeRoles = new Map<string, Role[]>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const roles = ([route.preHandler].flat().find((h) => h && (h as RoleCheck)[ROLES]) as RoleCheck | undefined)?.[ROLES] ?? null;
    for (const method of [route.method].flat()) {
      routeAccess.push({ method, url: route.url, access: accessOf(method, route.url, route.config), roles });
      if (roles) routeRoles.set(`${method} ${route.url}`, roles);
    }
  });

  app.decorateRequest('user', null);
  app.decorateRequest('tokenHash', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = requestToken(request);
    if (token && token.length <= 200) {
      const hash = tokenHash(token);
      request.user = await lookup(hash);
      if (request.user) request.tokenHash = hash;
    }
    // No route matched: the 404 handler answers, with nothing to protect.
    const url = request.routeOptions.url;
    if (url === undefined || accessOf(request.method, url, request.routeOptions.config) !== 'user') return;
    if (!request.user) {
      reply.header('WWW-Authenticate', 'Bearer');
      throw new HttpError(401, token ? 'session expired or token revoked: log in again' : 'login required (session cookie or Authorization: Bearer token)');
    }
    // The route's roles before its body is parsed and validated: no hints for those who may not call it.
    const roles = routeRoles.get(`${request.method} ${url}`);
    const denied = roles && forbidden(request.user, roles);
    if (denied) throw denied;
  });

  app.decorate('userForToken', async (token: string) => (token.length > 200 ? null : lookup(tokenHash(token))));

  app.decorate('requireRole', (...roles: Role[]) => {
    const check: RoleCheck = async (request: FastifyRequest) => {
      if (!request.user) throw new HttpError(401, 'login required');
      const denied = forbidden(request.user, roles);
      if (denied) throw denied;
    };
    // marked, so the onRequest hook above checks it first
    check[ROLES] = roles;
    return check;
  });

  app.decorate('issueToken', async (userId: number, kind: 'session' | 'api' | 'screen', hours: number | null, label?: string) => {
    const token = newToken();
    const expiresAt = hours === null ? null : new Date(Date.now() + hours * 3_600_000);
    await app.db.pool.query('INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [tokenHash(token), userId, kind, label ?? null, expiresAt]);
    return { token, expiresAt };
  });

  app.decorate('forgetTokens', () => cache.clear());

  /** Forget a revoked token at once in this process. */
  app.addHook('onResponse', async (request) => {
    if (request.routeOptions.url === '/api/auth/logout' && request.tokenHash) cache.delete(request.tokenHash.toString('base64'));
  });
}

export default fp(authPlugin, { name: 'auth' });
