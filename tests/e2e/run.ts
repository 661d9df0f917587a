// Browser tests on the real server: builds the client, seeds a database of their own on the real
// PostGIS (DATABASE_URL, or the local one started by server/db/pg-up.sh), starts the server, and
// runs tests/e2e/*.e2e.ts in headless Chromium with E2E_BASE_URL set. Exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../server/config.js';
import { seededDatabase } from '../support/db.js';
import { startServer } from '../support/server.js';

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) process.exit(1);
const { url, db } = await seededDatabase(process.env.E2E_DB ?? 'gridcc_e2e');
await db.close();
const server = await startServer({ DATABASE_URL: url, CLIENT_DIR: path.join(ROOT, 'dist/client'), SIMULATE: '0' });
let status = 1;
try {
  status = run('npx', ['vitest', 'run', '--config', 'tests/e2e/vitest.config.ts', ...process.argv.slice(2)], { E2E_BASE_URL: server.url, E2E_DATABASE_URL: url });
} finally {
  await server.stop();
}
process.exit(status);
