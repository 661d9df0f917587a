// Smoke test of the zero-setup mode: `npm start` without DATABASE_URL runs PGlite + PostGIS in
// process, seeds the demo on first start only, and keeps its data across restarts.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../support/server.js';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridcc-embedded-'));
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('embedded mode (no DATABASE_URL)', () => {
  it('starts PGlite with PostGIS, seeds the demo once, serves 1,076 grids, and keeps data across restarts', async () => {
    const env: NodeJS.ProcessEnv = { DATA_DIR: dataDir, SEED_INCIDENTS: '3000', DATABASE_URL: '', SIMULATE: '0' };
    server = await startServer(env);
    expect(server.output()).toMatch(/database: embedded PGlite \(PostgreSQL [\d.]+, PostGIS 3\.\d+/);
    expect(server.output()).toContain('first start: generating the Donghai demo dataset');

    // the wall-screen token printed once at first start reads everything (bearer)
    const token = /\/screen#token=([\w-]+)/.exec(server.output())?.[1];
    expect(token, 'first start prints the wall-screen link').toBeTruthy();
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await fetch(`${server.url}/api/grids`)).status).toBe(401);

    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', mode: 'embedded' });
    expect(health.counts).toMatchObject({ grids: 1076, townships: 21, villages: 373, workers: 2911, incidents: 3000 });
    const grids = await (await fetch(`${server.url}/api/grids`, auth)).json();
    expect(grids.features).toHaveLength(1076);
    // PGlite has no ST_AsMVT: tiles come from the JavaScript encoder
    const tile = await fetch(`${server.url}/tiles/grids/10/849/407.mvt`, auth);
    expect(tile.status).toBe(200);
    expect((await tile.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await fetch(`${server.url}/ogc/collections/grids/items?limit=5`, auth)).status).toBe(200);

    const port = String(server.port);
    await server.stop();
    server = await startServer({ ...env, PORT: port });
    expect(server.output()).not.toContain('first start');
    const again = await (await fetch(`${server.url}/api/health`)).json();
    expect(again.counts.grids).toBe(1076);
  }, 600_000);
});
