// GET /api/health — liveness, database mode, PostGIS version and row counts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../schemas/health.js';

const COUNTS_SQL = `
SELECT
  (SELECT count(*) FROM regions WHERE kind = 'township')::int AS townships,
  (SELECT count(*) FROM regions WHERE kind = 'village')::int AS villages,
  (SELECT count(*) FROM grids)::int AS grids,
  (SELECT count(*) FROM workers)::int AS workers,
  (SELECT count(*) FROM departments)::int AS departments,
  (SELECT count(*) FROM cameras)::int AS cameras,
  (SELECT count(*) FROM incidents)::int AS incidents,
  -- positions grow by millions a day: the planner's estimate is enough here
  (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'positions'::regclass)::bigint AS positions,
  current_setting('server_version') AS postgres,
  postgis_lib_version() AS postgis`;

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['system'], summary: 'Liveness, database mode and row counts', response: { 200: Health } },
  }, async () => {
    const { rows: [r] } = await app.db.pool.query(COUNTS_SQL);
    const { postgres, postgis, ...counts } = r;
    return { status: 'ok' as const, mode: app.db.mode, postgres: String(postgres).split(' ')[0], postgis, counts };
  });
};

export default healthRoutes;
