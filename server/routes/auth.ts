// Log in (session cookie, or a bearer token for API clients), log out, and who am I.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CurrentUser, LoginBody, LoginResult } from '../schemas/auth.js';
import { verifyPassword } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import { SESSION_COOKIE, SESSION_HOURS } from '../plugins/auth.js';

// Slows down password guessing: at most 10 failed attempts per username and 50 per IP (a whole
// office may share one address) in 15 minutes.
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = { user: 10, ip: 50 } as const;

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const failures = new Map<string, number[]>();
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > Date.now() - WINDOW_MS);
  const fail = (key: string) => failures.set(key, [...recent(key), Date.now()]);

  app.post('/api/auth/login', {
    schema: { tags: ['auth'], summary: 'Log in with a password; sets an HttpOnly session cookie', body: LoginBody, response: { 200: LoginResult } },
  }, async (request, reply) => {
    const { username, password, bearer } = request.body;
    const keys = [`ip:${request.ip}`, `user:${username.toLowerCase()}`];
    const blocked = keys.map(recent).find((list, i) => list.length >= (i === 0 ? MAX_FAILURES.ip : MAX_FAILURES.user));
    if (blocked) {
      const retry = Math.ceil((blocked[0] + WINDOW_MS - Date.now()) / 1000);
      reply.header('Retry-After', String(retry));
      throw new HttpError(429, `too many failed logins; retry in ${retry} s`);
    }
    const { rows } = await app.db.pool.query(`
      SELECT u.id, u.username, u.display_name, u.role, u.password_hash, t.code AS township
      FROM users u LEFT JOIN regions t ON t.id = u.township_id WHERE lower(u.username) = lower($1) AND u.active`, [username]);
    const ok = await verifyPassword(password, rows[0]?.password_hash ?? null);
    if (!ok) {
      keys.forEach(fail);
      throw new HttpError(401, 'wrong username or password');
    }
    const u = rows[0];
    const { token, expiresAt } = await app.issueToken(u.id, 'session', SESSION_HOURS);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure}`);
    await app.db.pool.query(`INSERT INTO audit_log (user_id, actor, action, target, ip) VALUES ($1, $2, 'login', NULL, $3)`, [u.id, u.username, request.ip]);
    const user = { id: u.id, username: u.username, displayName: u.display_name, role: u.role, township: u.township };
    return { user, expiresAt: expiresAt!.toISOString(), ...(bearer ? { token } : {}) };
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Log out: the session or token used for this request stops working' },
  }, async (request, reply) => {
    if (request.tokenHash) await app.db.pool.query('UPDATE auth_tokens SET revoked_at = now() WHERE token_hash = $1', [request.tokenHash]);
    reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: CurrentUser } },
    preHandler: app.requireRole('viewer', 'dispatcher', 'editor'),
  }, async (request) => request.user!);
};

export default authRoutes;
