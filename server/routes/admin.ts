// Administration under /api/admin (role admin; every write audited in its own transaction).
import type { FastifyPluginAsync } from 'fastify';
import adminUserRoutes from './adminUsers.js';
import adminTokenRoutes from './adminTokens.js';
import adminDeviceRoutes from './adminDevices.js';
import adminOpen311Routes from './adminOpen311.js';
import adminDepartmentRoutes from './adminDepartments.js';

const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(adminUserRoutes);
  await app.register(adminTokenRoutes);
  await app.register(adminDeviceRoutes);
  await app.register(adminOpen311Routes);
  await app.register(adminDepartmentRoutes);
};

export default adminRoutes;
