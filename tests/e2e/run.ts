// Browser tests on the real server: builds the client, seeds a database of their own on the real
// PostGIS (DATABASE_URL, or the local one started by server/db/pg-up.sh), starts the server, and
// runs tests/e2e/*.e2e.ts in headless Chromium with E2E_BASE_URL set. Exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../server/config.js';
import { seededDatabase } from '../support/db.js';
import { startServer } from '../support/server.js';
import { userWithToken } from '../support/auth.js';

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const dbName = process.env.E2E_DB ?? 'gridcc_e2e';
// A client build of its own per database: runs side by side must not swap each other's assets.
const clientDir = path.join(ROOT, 'dist', `e2e-${dbName}`);
if (run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', clientDir, '--emptyOutDir']) !== 0) process.exit(1);
// The grid editing tests change the coverage (split, merge, new grids): they get a database and a
// server of their own, so every other test sees the county as seeded. Files named on the command
// line run together on the first database.
const EDITING = ['tests/e2e/editor.e2e.ts', 'tests/e2e/editorOps.e2e.ts'];
const files = process.argv.slice(2);
const passes: Array<{ db: string; args: string[] }> = files.length
  ? [{ db: dbName, args: files }]
  : [{ db: dbName, args: EDITING.flatMap((f) => ['--exclude', f]) }, { db: `${dbName}_edit`, args: EDITING }];

async function pass(name: string, args: string[]): Promise<number> {
  const { url, db } = await seededDatabase(name);
  // Browser tests run logged in as a viewer by default (browser.ts sets the cookie, authSetup.ts
  // sends it with the tests' own fetches); tests that log in through the form replace it.
  const viewer = await userWithToken(db.pool, 'viewer', undefined, 'session');
  await db.close();
  const server = await startServer({ DATABASE_URL: url, CLIENT_DIR: clientDir, SIMULATE: '0' });
  try {
    return run('npx', ['vitest', 'run', '--config', 'tests/e2e/vitest.config.ts', ...args], { E2E_BASE_URL: server.url, E2E_DATABASE_URL: url, E2E_SESSION_TOKEN: viewer.token });
  } finally {
    await server.stop();
  }
}

let status = 0;
for (const p of passes) status = (await pass(p.db, p.args)) || status;
process.exit(status);
