// GET /api/health — liveness, database mode, PostGIS version and row counts.
// GET /api/ready — readiness for a load balancer: the database answers and every migration is applied.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Ready } from '../schemas/health.js';
import { readMigrations } from '../db/migrate.js';
import { RETRY_AFTER_S } from '../http/errors.js';

// A readiness probe must answer quickly even when the database host does not.
const READY_TIMEOUT_MS = 3000;

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

  // The migrations this build expects, read once.
  const expected = await readMigrations();
  app.get('/api/ready', {
    schema: { tags: ['system'], summary: 'Readiness: the database answers and every migration is applied (503 otherwise)', response: { 200: Ready, 503: Ready } },
  }, async (_request, reply) => {
    const unavailable = (body: Omit<Ready, 'status'>) => reply.code(503).header('Retry-After', String(RETRY_AFTER_S)).send({ status: 'unavailable' as const, ...body });
    if (!app.db.availability.up) return unavailable({ database: 'down', reason: 'database unreachable' });
    let timer: NodeJS.Timeout | undefined;
    let applied: Array<{ version: number; checksum: string }>;
    try {
      const query = app.db.pool.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations');
      query.catch(() => {}); // answered below, or abandoned after the timeout
      const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), READY_TIMEOUT_MS); });
      const result = await Promise.race([query, late]);
      if (!result) return unavailable({ database: 'up', reason: `database did not answer within ${READY_TIMEOUT_MS / 1000} s` });
      applied = result.rows;
    } catch (err) {
      if (app.db.availability.report(err)) return unavailable({ database: 'down', reason: 'database unreachable' });
      // Reachable but never migrated: no migrations table yet.
      if ((err as { code?: string }).code !== '42P01') throw err;
      applied = [];
    } finally {
      clearTimeout(timer);
    }
    const done = new Map(applied.map((m) => [m.version, m.checksum]));
    const pending = expected.filter((m) => done.get(m.version) !== m.checksum).map((m) => m.name);
    const migrations = { applied: done.size, pending };
    if (pending.length) return unavailable({ database: 'up', migrations, reason: `migrations pending: ${pending.join(', ')}` });
    return { status: 'ready' as const, database: 'up' as const, migrations };
  });
};

export default healthRoutes;
