// Crash recovery of the real server process: SIGKILL in the middle of sustained position ingest
// (JSON batches and OsmAnd) and incident reports, then a restart on the same port. Every
// acknowledged position and incident is in the database, and a live client reconnects by itself and
// catches up. A few seconds here; `npm run bench -- --only crash` runs it longer (tests/bench/crash.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/pool.js';
import { seededDatabase } from '../support/db.js';
import { crashRecovery } from '../bench/crash.js';

let db: Database;
let url: string;

beforeAll(async () => {
  ({ url, db } = await seededDatabase('gridcc_fault_crash', 1000));
});
afterAll(async () => {
  await db?.close();
});

describe('crash recovery', () => {
  it('loses nothing acknowledged when the server is killed mid-stream, and live clients catch up after the restart', { timeout: 180_000 }, async () => {
    const r = await crashRecovery(db.pool, url, { seconds: 3, devices: 100 });
    expect(r.acknowledged.positions).toBeGreaterThan(0);
    expect(r.acknowledged.incidents).toBeGreaterThan(0);
    expect(r.missing).toEqual({ positions: 0, incidents: 0 });
    // Before the kill everything was acknowledged: only the requests it cut off went unanswered.
    expect(Object.keys(r.unanswered).filter((k) => k !== 'cut')).toEqual([]);
    expect(r.live).toEqual({ reconnected: true, caughtUp: true, sawNewPosition: true });
  });
});
