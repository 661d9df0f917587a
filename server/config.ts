import { DEFAULT_LIMITS, type PositionLimits } from './domain/positionRules.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLimit, type BucketLimit } from './http/rateLimit.js';

/** Project root (one level above server/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  port: number;
  host: string;
  /** Real PostgreSQL + PostGIS; when absent the embedded PGlite database is used. */
  databaseUrl?: string;
  /** Folder of the embedded database (survives restarts). */
  dataDir: string;
  /** Built client served by the server. */
  clientDir: string;
  logLevel: string;
  /** Incidents generated when the demo dataset is seeded on first start (default 100,000). */
  seedIncidents?: number;
  /** Share live updates between several server processes through PostgreSQL (LIVE_CLUSTER=postgres). */
  liveCluster: boolean;
  /** Milliseconds between live pushes to the screens (LIVE_TICK_MS, 100–1000). */
  liveTickMs: number;
  /** Days of position history kept (whole daily partitions are dropped after). */
  positionRetentionDays: number;
  /** Which reported times are taken: not too far ahead of the clock, not older than POSITION_MAX_AGE_HOURS. */
  positionLimits: PositionLimits;
  timezone: string;
  /** Optional online MapLibre style for the base map, and its coordinate system. */
  basemapStyleUrl?: string;
  basemapCrs: 'wgs84' | 'gcj02';
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto from it (true, or its addresses). */
  trustProxy: boolean | string;
  rateLimits: RateLimits;
  /** Seconds a shutdown may take to finish requests in flight before the process exits anyway. */
  shutdownTimeoutS: number;
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be an integer 0–65535, got "${value}"`);
  return n;
}

function basemapCrs(value: string | undefined): 'wgs84' | 'gcj02' {
  if (!value || value === 'wgs84') return 'wgs84';
  if (value === 'gcj02') return 'gcj02';
  throw new Error(`BASEMAP_CRS must be wgs84 or gcj02, got "${value}"`);
}

function trustProxy(value: string | undefined): boolean | string {
  if (!value || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return value; // the proxies' addresses or CIDR ranges, comma-separated
}

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** Per-second limits (null: off). Generous enough for the simulator (2,911 phones every 10 s from one
 * address) and the benchmarks (tens of thousands of positions a second from loopback). */
export interface RateLimits {
  /** Requests to /api/positions and /osmand per client address. */
  ingestPerIp: BucketLimit | null;
  /** Positions per device (a buffered upload of 1,000 fits in the burst). */
  ingestPerDevice: BucketLimit | null;
  /** Open311 requests filed per api_key. */
  open311PerKey: BucketLimit | null;
  /** Login attempts per client address (each costs a password hash). */
  loginPerIp: BucketLimit | null;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  ingestPerIp: { rate: 10_000, burst: 20_000 },
  ingestPerDevice: { rate: 100, burst: 5_000 },
  open311PerKey: { rate: 10, burst: 100 },
  loginPerIp: { rate: 5, burst: 100 },
};

function rateLimits(env: NodeJS.ProcessEnv): RateLimits {
  const one = (name: string, fallback: BucketLimit | null) => (env[name] ? parseLimit(name, env[name]!) : fallback);
  return {
    ingestPerIp: one('RATE_LIMIT_INGEST_IP', DEFAULT_RATE_LIMITS.ingestPerIp),
    ingestPerDevice: one('RATE_LIMIT_INGEST_DEVICE', DEFAULT_RATE_LIMITS.ingestPerDevice),
    open311PerKey: one('RATE_LIMIT_OPEN311_KEY', DEFAULT_RATE_LIMITS.open311PerKey),
    loginPerIp: one('RATE_LIMIT_LOGIN_IP', DEFAULT_RATE_LIMITS.loginPerIp),
  };
}

/** Reads the environment once; invalid settings stop the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', env.PORT, 3000),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(ROOT, env.DATA_DIR || '.data/pglite'),
    clientDir: path.resolve(ROOT, env.CLIENT_DIR || 'dist/client'),
    logLevel: env.LOG_LEVEL || 'info',
    seedIncidents: env.SEED_INCIDENTS ? count('SEED_INCIDENTS', env.SEED_INCIDENTS) : undefined,
    liveCluster: env.LIVE_CLUSTER === 'postgres',
    liveTickMs: env.LIVE_TICK_MS ? Math.min(1000, Math.max(100, count('LIVE_TICK_MS', env.LIVE_TICK_MS))) : 200,
    positionRetentionDays: env.POSITION_RETENTION_DAYS ? count('POSITION_RETENTION_DAYS', env.POSITION_RETENTION_DAYS) : 180,
    positionLimits: {
      ...DEFAULT_LIMITS,
      // phones buffer reports while offline; older ones than this are refused
      maxAgeMs: env.POSITION_MAX_AGE_HOURS ? Math.max(1, count('POSITION_MAX_AGE_HOURS', env.POSITION_MAX_AGE_HOURS)) * 3_600_000 : DEFAULT_LIMITS.maxAgeMs,
    },
    timezone: env.TIMEZONE || 'Asia/Shanghai',
    basemapStyleUrl: env.BASEMAP_STYLE_URL || undefined,
    basemapCrs: basemapCrs(env.BASEMAP_CRS),
    trustProxy: trustProxy(env.TRUST_PROXY),
    rateLimits: rateLimits(env),
    shutdownTimeoutS: env.SHUTDOWN_TIMEOUT_S ? count('SHUTDOWN_TIMEOUT_S', env.SHUTDOWN_TIMEOUT_S) : 30,
  };
}
