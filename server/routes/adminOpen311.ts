// Systems filing requests through Open311 (the 12345 hotline), administrators only: list, create
// (the API key is returned once; only its hash is stored), revoke.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminOpen311Client, CreateOpen311ClientBody, IdParams, Open311ClientCreated } from '../schemas/admin.js';
import { withTransaction } from '../db/pool.js';
import { newToken, tokenHash } from '../domain/passwords.js';
import { HttpError } from '../http/errors.js';
import { audit, conflictOn, iso } from './adminAudit.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toClient = (r: any): AdminOpen311Client => ({ id: r.id, name: r.name, active: r.active, createdAt: r.created_at.toISOString(), revokedAt: iso(r.revoked_at) });
const COLUMNS = 'id, name, active, created_at, revoked_at';

const adminOpen311Routes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireRole('admin');
  const tags = ['admin'];

  app.get('/api/admin/open311-clients', {
    schema: { tags, summary: 'Systems with an Open311 API key', response: { 200: Type.Array(AdminOpen311Client) } },
    preHandler: admin,
  }, async () => (await app.db.pool.query(`SELECT ${COLUMNS} FROM open311_clients ORDER BY name`)).rows.map(toClient));

  app.post('/api/admin/open311-clients', {
    schema: { tags, summary: 'Register a system and issue its Open311 api_key (returned once)', body: CreateOpen311ClientBody, response: { 201: Open311ClientCreated } },
    preHandler: admin,
  }, async (request, reply) => {
    // the same SHA-256 the Open311 routes check keys against
    const apiKey = newToken();
    const client = await withTransaction(app.db.pool, async (c) => {
      const { rows: [r] } = await c.query(`INSERT INTO open311_clients (name, key_hash) VALUES ($1, $2) RETURNING ${COLUMNS}`, [request.body.name, tokenHash(apiKey)])
        .catch(conflictOn('name', `Open311 client ${request.body.name}`));
      await audit(c, request, 'open311_client.create', `open311_client:${r.id}`, { name: request.body.name });
      return toClient(r);
    });
    return reply.code(201).send({ client, apiKey });
  });

  app.delete('/api/admin/open311-clients/:id', {
    schema: { tags, summary: 'Revoke a system\'s Open311 api_key', params: IdParams },
    preHandler: admin,
  }, async (request, reply) => {
    const { id } = request.params;
    await withTransaction(app.db.pool, async (c) => {
      const { rowCount } = await c.query('UPDATE open311_clients SET active = false, revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
      if (!rowCount) throw new HttpError(404, `id: no active Open311 client ${id}`, 'id');
      await audit(c, request, 'open311_client.revoke', `open311_client:${id}`);
    });
    return reply.code(204).send();
  });
};

export default adminOpen311Routes;
