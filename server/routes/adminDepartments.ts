// Departments (administrators only): list, and correct a name or the contact phone.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminDepartment, IdParams, UpdateDepartmentBody } from '../schemas/admin.js';
import { withTransaction } from '../db/pool.js';
import { HttpError } from '../http/errors.js';
import { audit, conflictOn } from './adminAudit.js';

const adminDepartmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireRole('admin');
  const tags = ['admin'];

  app.get('/api/admin/departments', {
    schema: { tags, summary: 'Departments with their contact phone', response: { 200: Type.Array(AdminDepartment) } },
    preHandler: admin,
  }, async () => (await app.db.pool.query('SELECT id, code, name, kind, phone FROM departments ORDER BY code')).rows);

  app.patch('/api/admin/departments/:id', {
    schema: { tags, summary: 'Change a department\'s name or contact phone', params: IdParams, body: UpdateDepartmentBody, response: { 200: AdminDepartment } },
    preHandler: admin,
  }, async (request) => {
    const { id } = request.params;
    const b = request.body;
    return withTransaction(app.db.pool, async (c) => {
      const { rows } = await c.query(`
        UPDATE departments SET name = coalesce($2, name), phone = CASE WHEN $3 THEN $4 ELSE phone END WHERE id = $1
        RETURNING id, code, name, kind, phone`, [id, b.name ?? null, b.phone !== undefined, b.phone ?? null]).catch(conflictOn('name', `department ${b.name}`));
      if (!rows.length) throw new HttpError(404, `id: no department ${id}`, 'id');
      await audit(c, request, 'department.update', `department:${id}`, b);
      return rows[0];
    });
  });
};

export default adminDepartmentRoutes;
