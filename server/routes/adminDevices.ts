// Workers' phones (administrators only): list with key and last position, issue or rotate a key
// (returned once), revoke it. The in-memory registry is reloaded at once; other server processes
// follow within their next reload.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminDevice, DeviceKeyIssued, DeviceParams } from '../schemas/admin.js';
import { issueDeviceKey, revokeDeviceKey } from '../domain/devices.js';
import { iso } from './adminAudit.js';

const adminDeviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireRole('admin');
  const tags = ['admin'];
  const actor = (r: { user: { id: number; username: string } | null; ip: string }) => ({ userId: r.user!.id, name: r.user!.username, ip: r.ip });

  app.get('/api/admin/devices', {
    schema: { tags, summary: 'Every worker\'s phone: key issued when, last position when', response: { 200: Type.Array(AdminDevice) } },
    preHandler: admin,
  }, async () => {
    const { rows } = await app.db.pool.query(`
      SELECT w.device_id, w.id, w.name, g.code AS grid, t.name AS township, k.created_at AS key_at, s.ts AS last_seen
      FROM workers w JOIN grids g ON g.id = w.grid_id JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
      LEFT JOIN device_keys k ON k.device_id = w.device_id AND k.revoked_at IS NULL
      LEFT JOIN worker_status s ON s.worker_id = w.id
      WHERE w.active AND w.device_id IS NOT NULL ORDER BY w.device_id`);
    return rows.map((r) => ({ deviceId: r.device_id, workerId: r.id, worker: r.name, grid: r.grid, township: r.township, keyIssuedAt: iso(r.key_at), lastSeen: iso(r.last_seen) }));
  });

  app.post('/api/admin/devices/:deviceId/key', {
    schema: { tags, summary: 'Issue a key for a phone (its old key stops working); returned once', params: DeviceParams, response: { 201: DeviceKeyIssued } },
    preHandler: admin,
  }, async (request, reply) => {
    const key = await issueDeviceKey(app.db.pool, request.params.deviceId, actor(request));
    await app.live.devices.refresh(true);
    return reply.code(201).send({ deviceId: request.params.deviceId, key });
  });

  app.delete('/api/admin/devices/:deviceId/key', {
    schema: { tags, summary: 'Revoke a phone\'s key: its positions are refused (403) until a new key is issued', params: DeviceParams },
    preHandler: admin,
  }, async (request, reply) => {
    await revokeDeviceKey(app.db.pool, request.params.deviceId, actor(request));
    await app.live.devices.refresh(true);
    return reply.code(204).send();
  });
};

export default adminDeviceRoutes;
