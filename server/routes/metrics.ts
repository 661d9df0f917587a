// GET /api/admin/metrics — how the server process is doing, for operators and the load benchmark: memory,
// event-loop delay (the last minute), live clients and view groups, ingest backlog, database pool.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';

export const Metrics = Type.Object({
  uptimeS: Type.Number(),
  rssMb: Type.Number(),
  heapUsedMb: Type.Number(),
  eventLoopDelayMs: Type.Object({ p50: Type.Number(), p99: Type.Number(), max: Type.Number() }, { description: 'over the last minute' }),
  live: Type.Object({ clients: Type.Integer(), viewGroups: Type.Integer(), ticks: Type.Integer(), messages: Type.Integer() }),
  ingest: Type.Object({ writerQueue: Type.Integer({ description: 'requests waiting for a commit' }), stateBacklog: Type.Integer({ description: 'stored positions not yet in worker state' }) }),
  pool: Type.Object({ total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() }),
}, { $id: 'Metrics' });
export type Metrics = Static<typeof Metrics>;

const WINDOW_MS = 60_000;

const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Two histograms in turn: one fills while the other (the last full minute) is read.
  let current = monitorEventLoopDelay({ resolution: 10 });
  let last = current;
  current.enable();
  const timer = setInterval(() => {
    last.disable();
    last = current;
    current = monitorEventLoopDelay({ resolution: 10 });
    current.enable();
  }, WINDOW_MS);
  timer.unref();
  app.addHook('onClose', async () => { clearInterval(timer); current.disable(); last.disable(); });

  app.get('/api/admin/metrics', {
    preHandler: app.requireRole('admin'),
    schema: { tags: ['system'], summary: 'Process memory, event-loop delay, live clients, ingest backlog, database pool (admin)', response: { 200: Metrics } },
  }, async () => {
    const h = last.count > 0 ? last : current;
    const mem = process.memoryUsage();
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const pool = app.db.pool;
    return {
      uptimeS: Math.round(process.uptime()),
      rssMb: Math.round(mem.rss / 1048576),
      heapUsedMb: Math.round(mem.heapUsed / 1048576),
      eventLoopDelayMs: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
      live: { clients: app.live.hub.io.engine.clientsCount, viewGroups: app.live.hub.viewGroups, ticks: app.live.hub.stats.ticks, messages: app.live.hub.stats.messages },
      ingest: { writerQueue: app.live.writer.pending, stateBacklog: app.live.state.backlog },
      pool: { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount },
    };
  });
};

export default metricsRoutes;
