// Users (administrators only): list, create, change role or township, deactivate, reset password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type pg from 'pg';
import { AdminUser, CreateUserBody, IdParams, PasswordBody, PasswordReset, UpdateUserBody, UserCreated } from '../schemas/admin.js';
import type { Role } from '../schemas/auth.js';
import { withTransaction } from '../db/pool.js';
import { hashPassword, randomPassword } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import { audit, conflictOn, iso } from './adminAudit.js';

const USER_SQL = `
SELECT u.id, u.username, u.display_name, u.role, t.code AS township, u.active, u.created_at,
       (SELECT max(a.created_at) FROM auth_tokens a WHERE a.user_id = u.id AND a.kind = 'session') AS last_login
FROM users u LEFT JOIN regions t ON t.id = u.township_id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toUser = (r: any): AdminUser => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, township: r.township, active: r.active,
  createdAt: r.created_at.toISOString(), lastLoginAt: iso(r.last_login),
});

/** The township's id; only a dispatcher is limited to one. */
async function townshipId(c: pg.PoolClient, role: Role, township: string | null | undefined): Promise<number | null> {
  if (!township) return null;
  if (role !== 'dispatcher') throw new HttpError(400, `township: only a dispatcher is limited to a township, not a ${role}`, 'township');
  const { rows } = await c.query(`SELECT id FROM regions WHERE code = $1 AND kind = 'township'`, [township]);
  if (!rows.length) throw new HttpError(400, `township: no township with code ${township}`, 'township');
  return rows[0].id;
}

const adminUserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireRole('admin');
  const tags = ['admin'];
  const one = async (c: pg.PoolClient | pg.Pool, id: number) => {
    const { rows } = await c.query(`${USER_SQL} WHERE u.id = $1`, [id]);
    if (!rows.length) throw new HttpError(404, `user ${id} not found`, 'id');
    return toUser(rows[0]);
  };

  app.get('/api/admin/users', {
    schema: { tags, summary: 'Every user with role, township and last login', response: { 200: Type.Array(AdminUser) } },
    preHandler: admin,
  }, async () => (await app.db.pool.query(`${USER_SQL} ORDER BY u.username`)).rows.map(toUser));

  app.post('/api/admin/users', {
    schema: { tags, summary: 'Create a user; without a password a random one is returned, once', body: CreateUserBody, response: { 201: UserCreated } },
    preHandler: admin,
  }, async (request, reply) => {
    const b = request.body;
    const password = b.password ?? randomPassword();
    const hash = await hashPassword(password);
    const user = await withTransaction(app.db.pool, async (c) => {
      const tid = await townshipId(c, b.role, b.township);
      const { rows: [r] } = await c.query(
        'INSERT INTO users (username, display_name, role, township_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [b.username, b.displayName, b.role, tid, hash]).catch(conflictOn('username', `user ${b.username}`));
      await audit(c, request, 'user.create', `user:${r.id}`, { username: b.username, role: b.role, township: b.township ?? null });
      return one(c, r.id);
    });
    return reply.code(201).send({ user, ...(b.password ? {} : { password }) });
  });

  app.patch('/api/admin/users/:id', {
    schema: { tags, summary: 'Change a user\'s name, role, township or deactivate them (their sessions and tokens end)', params: IdParams, body: UpdateUserBody, response: { 200: AdminUser } },
    preHandler: admin,
  }, async (request) => {
    const { id } = request.params;
    const b = request.body;
    if (id === request.user!.id && (b.role !== undefined || b.active === false)) {
      throw new HttpError(400, `${b.role !== undefined ? 'role' : 'active'}: administrators cannot demote or deactivate themselves`, b.role !== undefined ? 'role' : 'active');
    }
    const user = await withTransaction(app.db.pool, async (c) => {
      const { rows } = await c.query('SELECT u.role, t.code AS township FROM users u LEFT JOIN regions t ON t.id = u.township_id WHERE u.id = $1 FOR UPDATE OF u', [id]);
      if (!rows.length) throw new HttpError(404, `user ${id} not found`, 'id');
      const role: Role = b.role ?? rows[0].role;
      // a new role other than dispatcher drops the township it had
      const township = b.township !== undefined ? b.township : role === 'dispatcher' ? rows[0].township : null;
      const tid = await townshipId(c, role, township);
      await c.query(`UPDATE users SET display_name = coalesce($2, display_name), role = $3, township_id = $4, active = coalesce($5, active), updated_at = now() WHERE id = $1`,
        [id, b.displayName ?? null, role, tid, b.active ?? null]);
      if (b.active === false) await c.query('UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
      await audit(c, request, b.active === false ? 'user.deactivate' : 'user.update', `user:${id}`, { ...b });
      return one(c, id);
    });
    app.forgetTokens();
    return user;
  });

  app.post('/api/admin/users/:id/password', {
    schema: { tags, summary: 'Reset a password (a random one, returned once, unless given); the user\'s sessions end', params: IdParams, body: PasswordBody, response: { 200: PasswordReset } },
    preHandler: admin,
  }, async (request) => {
    const { id } = request.params;
    const password = request.body.password ?? randomPassword();
    const hash = await hashPassword(password);
    await withTransaction(app.db.pool, async (c) => {
      const { rowCount } = await c.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, hash]);
      if (!rowCount) throw new HttpError(404, `user ${id} not found`, 'id');
      await c.query(`UPDATE auth_tokens SET revoked_at = now() WHERE user_id = $1 AND kind = 'session' AND revoked_at IS NULL`, [id]);
      await audit(c, request, 'user.password_reset', `user:${id}`);
    });
    app.forgetTokens();
    return { password };
  });
};

export default adminUserRoutes;
