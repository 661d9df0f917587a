// Command-line entry: `start` (default) runs the server; `seed` rebuilds the demo dataset;
// `simulate` runs the patrol simulator against a running server.
//   tsx server/main.ts start [--no-simulate] [--all-day]   embedded PGlite unless DATABASE_URL is set; seeds on first run
//   tsx server/main.ts seed [--seed N] [--incidents N]
//   tsx server/main.ts simulate [--interval 10] [--all-day] [--url http://127.0.0.1:3000]
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ROOT, type Config } from './config.js';
import { openDatabase, type Database } from './db/pool.js';
import { migrate } from './db/migrate.js';
import { ensurePositionPartitions } from './db/partitions.js';
import { buildApp } from './app.js';
import { progressPrinter } from './progress.js';
import { startSimulator, type Simulator } from './simulator/index.js';
import { bootstrapUsers } from './domain/bootstrap.js';
import type { AddressInfo } from 'node:net';

const log = (msg: string) => process.stderr.write(`${msg}\n`);

async function openAndMigrate(config: Config): Promise<Database> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const { rows: [v] } = await db.pool.query<{ pg: string; postgis: string }>(
    `SELECT split_part(version(), ' ', 2) AS pg, extversion AS postgis FROM pg_extension WHERE extname = 'postgis'
     UNION ALL SELECT split_part(version(), ' ', 2), NULL LIMIT 1`);
  await migrate(db.pool, log);
  const postgis = (await db.pool.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0].v;
  log(db.mode === 'embedded'
    ? `database: embedded PGlite (PostgreSQL ${v.pg}, PostGIS ${postgis}) in ${config.dataDir}`
    : `database: PostgreSQL ${v.pg} with PostGIS ${postgis} at ${redact(config.databaseUrl!)}`);
  await ensurePositionPartitions(db.pool);
  return db;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function seed(db: Database, args: { seed?: number; incidents?: number }) {
  const { seedDatabase } = await import('../data/generate/index.js');
  const started = Date.now();
  const summary = await seedDatabase(db.pool, { ...args, progress: progressPrinter(process.stderr) });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.townships} townships, ${summary.villages} villages, ` +
    `${summary.grids} grids, ${summary.workers} workers, ${summary.departments} departments, ${summary.cameras} cameras, ${summary.incidents} incidents`);
}

async function isSeeded(db: Database): Promise<boolean> {
  const { rowCount } = await db.pool.query(`SELECT 1 FROM dataset_info WHERE key = 'seed'`);
  return Boolean(rowCount);
}

/** Builds the client when dist/ is missing or older than the sources, so `npm start` is all it takes. */
async function ensureClientBuilt(clientDir: string) {
  const index = path.join(clientDir, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const newest = newestMtime(path.join(ROOT, 'client'));
  if (built > newest) return;
  log('building the client (vite build)...');
  const vite = await import('vite');
  await vite.build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

async function start(config: Config, flags: { build: boolean; simulate: boolean; allDay: boolean }) {
  if (flags.build && !process.env.CLIENT_DIR) await ensureClientBuilt(config.clientDir);
  const db = await openAndMigrate(config);
  if (!(await isSeeded(db))) {
    log('first start: generating the Donghai demo dataset');
    await seed(db, { incidents: config.seedIncidents });
  }
  const first = await bootstrapUsers(db.pool);
  if (config.liveCluster && db.mode === 'embedded') log('LIVE_CLUSTER ignored: the embedded database cannot share live updates');
  const app = await buildApp({
    db, clientDir: config.clientDir, logger: { level: config.logLevel }, timezone: config.timezone, trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    live: { cluster: config.liveCluster, retentionDays: config.positionRetentionDays, tickMs: config.liveTickMs, limits: config.positionLimits },
    client: { basemapStyleUrl: config.basemapStyleUrl, basemapCrs: config.basemapCrs },
  });
  let simulator: Simulator | undefined;
  let stopping = false;
  // Stop accepting, let requests in flight finish (positions are acknowledged only after their
  // commit, so the writer just drains), close live connections and the pool, then exit 0.
  const shutdown = async (signal: string) => {
    if (stopping) { log(`${signal} again: exiting at once`); process.exit(1); }
    stopping = true;
    log(`${signal}: shutting down, finishing requests in flight`);
    const deadline = setTimeout(() => { log(`shutdown took longer than ${config.shutdownTimeoutS} s: exiting`); process.exit(1); }, config.shutdownTimeoutS * 1000);
    deadline.unref();
    try {
      await simulator?.stop();
      await app.close();
      await db.close();
    } catch (err) {
      log(`shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log(`\n  东海县网格化治理指挥中心  ready at http://${shown}:${config.port}\n`);
  if (first) {
    // Shown once: only hashes are stored.
    log(`  first start: administrator  admin / ${first.password}`);
    log(`  wall screen (read-only, 1 year):  http://${shown}:${config.port}/screen#token=${first.screenToken}`);
    log('  keep these now: they are not stored and will not be shown again\n');
  }
  if (flags.simulate) {
    const port = (app.server.address() as AddressInfo).port;
    simulator = await startSimulator(db.pool, {
      baseUrl: `http://127.0.0.1:${port}`, allDay: flags.allDay, timezone: config.timezone, log, incidents: app.incidents,
    });
  }
}

/** `npm run simulate`: a separate process reporting to a running server (needs DATABASE_URL for the worker list). */
async function simulate(config: Config, flags: { allDay: boolean; interval?: number; url?: string }) {
  if (!config.databaseUrl) {
    throw new Error('npm run simulate needs DATABASE_URL (the embedded database belongs to the running server); ' +
      'with the embedded database the simulator already runs inside npm start');
  }
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const sim = await startSimulator(db.pool, {
    baseUrl: flags.url ?? `http://127.0.0.1:${config.port}`, intervalSec: flags.interval, allDay: flags.allDay, timezone: config.timezone, log,
  });
  const timer = setInterval(() => log(`simulator: sent ${sim.stats.sent}, ok ${sim.stats.ok}, failed ${sim.stats.failed}`), 10_000);
  const stop = async () => { clearInterval(timer); await sim.stop(); await db.close(); process.exit(0); };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      incidents: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'no-simulate': { type: 'boolean', default: false },
      'all-day': { type: 'boolean', default: false },
      interval: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const command = positionals[0] ?? 'start';
  const config = loadConfig();
  if (command === 'start') {
    const simulateOn = !values['no-simulate'] && process.env.SIMULATE !== '0';
    return start(config, { build: !values['no-build'], simulate: simulateOn, allDay: values['all-day'] || process.env.SIMULATE === 'all-day' });
  }
  if (command === 'simulate') {
    return simulate(config, { allDay: values['all-day'], interval: values.interval ? Number(values.interval) : undefined, url: values.url });
  }
  if (command === 'seed') {
    const num = (name: string, v?: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
      return n;
    };
    const db = await openAndMigrate(config);
    try { await seed(db, { seed: num('seed', values.seed), incidents: num('incidents', values.incidents) }); }
    finally { await db.close(); }
    return;
  }
  throw new Error(`unknown command "${command}" (start | seed | simulate)`);
}

main().catch((err) => {
  log(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
