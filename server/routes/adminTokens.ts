// API tokens (GIS desktops, other systems) and wall-screen tokens (administrators only): list, issue
// (the token is returned once; only its hash is stored), revoke. Browser sessions are not listed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminToken, CreateTokenBody, TokenCreated, TokenRef } from '../schemas/admin.js';
import { withTransaction } from '../db/pool.js';
import { newToken, tokenHash } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import { audit, iso } from './adminAudit.js';

// a token is named by the start of its hash: enough to tell them apart, useless to log in with
const REF = `encode(substring(a.token_hash from 1 for 8), 'hex')`;

const adminTokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireRole('admin');
  const tags = ['admin'];

  app.get('/api/admin/tokens', {
    schema: { tags, summary: 'API and wall-screen tokens, newest first', response: { 200: Type.Array(AdminToken) } },
    preHandler: admin,
  }, async () => {
    const { rows } = await app.db.pool.query(`
      SELECT ${REF} AS ref, a.kind, a.label, a.user_id, u.username, a.created_at, a.expires_at, a.last_used_at, a.revoked_at
      FROM auth_tokens a JOIN users u ON u.id = a.user_id WHERE a.kind IN ('api', 'screen') ORDER BY a.created_at DESC`);
    return rows.map((r) => ({
      ref: r.ref, kind: r.kind, label: r.label, userId: r.user_id, username: r.username, createdAt: r.created_at.toISOString(),
      expiresAt: iso(r.expires_at), lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
    }));
  });

  app.post('/api/admin/tokens', {
    schema: { tags, summary: 'Issue an API or wall-screen token for a user; returned once', body: CreateTokenBody, response: { 201: TokenCreated } },
    preHandler: admin,
  }, async (request, reply) => {
    const b = request.body;
    const token = newToken();
    const hash = tokenHash(token);
    const expiresAt = new Date(Date.now() + (b.days ?? 365) * 86_400_000);
    await withTransaction(app.db.pool, async (c) => {
      const { rows } = await c.query('SELECT role, active FROM users WHERE id = $1', [b.userId]);
      if (!rows.length || !rows[0].active) throw new HttpError(400, `userId: no active user ${b.userId}`, 'userId');
      // the wall hangs in a public room: its token only reads
      if (b.kind === 'screen' && rows[0].role !== 'viewer') throw new HttpError(400, `userId: a screen token is for a viewer (read-only) user, not a ${rows[0].role}`, 'userId');
      await c.query('INSERT INTO auth_tokens (token_hash, user_id, kind, label, expires_at) VALUES ($1, $2, $3, $4, $5)', [hash, b.userId, b.kind, b.label, expiresAt]);
      await audit(c, request, 'token.issue', `token:${hash.subarray(0, 8).toString('hex')}`, { userId: b.userId, kind: b.kind, label: b.label, expiresAt });
    });
    return reply.code(201).send({ token, ref: hash.subarray(0, 8).toString('hex'), expiresAt: expiresAt.toISOString() });
  });

  app.delete('/api/admin/tokens/:ref', {
    schema: { tags, summary: 'Revoke an API or wall-screen token', params: TokenRef },
    preHandler: admin,
  }, async (request, reply) => {
    const { ref } = request.params;
    await withTransaction(app.db.pool, async (c) => {
      const { rowCount } = await c.query(`UPDATE auth_tokens a SET revoked_at = now() WHERE ${REF} = $1 AND a.kind IN ('api', 'screen') AND a.revoked_at IS NULL`, [ref]);
      if (!rowCount) throw new HttpError(404, `ref: no active token ${ref}`, 'ref');
      await audit(c, request, 'token.revoke', `token:${ref}`);
    });
    app.forgetTokens();
    return reply.code(204).send();
  });
};

export default adminTokenRoutes;
