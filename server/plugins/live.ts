// Live patrol tracking wired together: device registry, in-memory grid index, group-commit writer,
// the socket.io hub, and the timers that mark workers offline and keep position partitions.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { createAdapter } from '@socket.io/postgres-adapter';
import { DeviceRegistry } from '../live/devices.js';
import { GridIndex } from '../live/gridIndex.js';
import { PositionWriter } from '../live/positionWriter.js';
import { PatrolStateUpdater } from '../live/patrolStateUpdater.js';
import { LiveHub } from '../live/hub.js';
import { installSocketAuth } from '../live/socketAuth.js';
import { Ingest } from '../live/ingest.js';
import { sweepOffline } from '../live/sweeper.js';
import { DEFAULT_RULES, type PatrolRules } from '../domain/patrolState.js';
import { DEFAULT_LIMITS, type PositionLimits } from '../domain/positionRules.js';
import { dropOldPositionPartitions, ensurePositionPartitions } from '../db/partitions.js';

export interface LiveOptions {
  tickMs?: number;
  rules?: PatrolRules;
  limits?: PositionLimits;
  /** Share live updates with other server processes through PostgreSQL (needs a real server). */
  cluster?: boolean;
  /** Days of positions kept; older daily partitions are dropped. */
  retentionDays?: number;
  /** Run the periodic jobs (offline sweep, partitions). */
  timers?: boolean;
}

export interface Live {
  devices: DeviceRegistry;
  grids: GridIndex;
  writer: PositionWriter;
  state: PatrolStateUpdater;
  hub: LiveHub;
  ingest: Ingest;
  rules: PatrolRules;
  sweep(): Promise<number>;
}

declare module 'fastify' {
  interface FastifyInstance { live: Live }
}

async function livePlugin(app: FastifyInstance, opts: LiveOptions) {
  const pool = app.db.pool;
  const rules = opts.rules ?? DEFAULT_RULES;
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const devices = new DeviceRegistry(pool);
  const grids = new GridIndex(pool);
  await Promise.all([devices.refresh(true), grids.refresh()]);
  // PGlite runs one statement at a time: one writer; a real server takes a few in parallel.
  const embedded = app.db.mode === 'embedded';
  const writer = new PositionWriter(pool, { writers: embedded ? 1 : 3, prepared: !embedded });
  const state = new PatrolStateUpdater(pool, { timezone: app.timezone, rules });
  writer.onStored((fresh) => state.add(fresh));
  const adapter = opts.cluster && app.db.mode === 'external' ? createAdapter(pool, { errorHandler: (err) => app.log.warn({ err }, 'live adapter') }) : undefined;
  // State follows the stored positions: committed at the start of each hub tick, then sent.
  const flushState = () => state.flush().catch((err) => app.log.warn({ err }, 'patrol state update failed; will retry'));
  const hub = new LiveHub(app.server, pool, grids, { tickMs: opts.tickMs ?? 200, timezone: app.timezone, beforeTick: flushState, onError: (err) => app.log.error({ err }, 'live tick failed') }, adapter);
  // Only logged-in users and tokens listen; township dispatchers only to their township.
  installSocketAuth(hub.io, { pool, userForToken: (token) => app.userForToken(token) });
  state.onCommit((updates, events) => hub.publish(updates, events));
  const ingest = new Ingest(devices, grids, writer, limits);

  const sweep = async () => {
    const { updates, events } = await sweepOffline(pool, rules.offlineAfterMs);
    if (updates.length) hub.publish(updates, events);
    return updates.length;
  };
  const timers: NodeJS.Timeout[] = [];
  if (opts.timers !== false) {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => { fn().catch((err) => app.log.warn({ err }, 'live job failed')); }, ms);
      t.unref();
      timers.push(t);
    };
    every(30_000, sweep);
    every(2_000, () => Promise.all([grids.refresh(), devices.refresh()]));
    const maxAgeDays = Math.ceil(limits.maxAgeMs / 86_400_000);
    const partitions = async () => {
      await ensurePositionPartitions(pool, maxAgeDays + 1, 7);
      await dropOldPositionPartitions(pool, Math.max(opts.retentionDays ?? 180, maxAgeDays + 2));
    };
    await partitions();
    every(3_600_000, partitions);
  }

  app.decorate('live', { devices, grids, writer, state, hub, ingest, rules, sweep });
  app.addHook('onClose', async () => {
    timers.forEach(clearInterval);
    await writer.drain();
    await state.flush().catch(() => {});
    await hub.close();
  });
}

export default fp(livePlugin, { name: 'live' });
