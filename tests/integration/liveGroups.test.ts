// The live hub's view groups: clients showing the same township share one filtered, encoded message
// per tick; a worker leaving the view is announced to every member, also to one that joined later;
// one member leaving does not stop the others. The hub alone on a real database (for snapshots).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Database } from '../../server/db/pool.js';
import { GridIndex } from '../../server/live/gridIndex.js';
import { LiveHub } from '../../server/live/hub.js';
import type { StatusUpdate } from '../../server/live/positionWriter.js';
import type { LivePositions } from '../../server/schemas/live.js';
import { seededTestDatabase } from '../support/db.js';

let db: Database;
let server: http.Server;
let hub: LiveHub;
let url: string;
let inA: number; // a grid of township A
let inB: number; // a grid of township B
let townshipA: string;
const sockets: Socket[] = [];
const WORKER = 990_001; // not a seeded worker: only the messages matter here

beforeAll(async () => {
  db = await seededTestDatabase();
  const grids = new GridIndex(db.pool);
  await grids.refresh();
  const { rows } = await db.pool.query(`
    SELECT DISTINCT ON (t.code) g.id, t.code FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id
    ORDER BY t.code, g.id LIMIT 2`);
  [inA, inB] = rows.map((r) => r.id);
  townshipA = rows[0].code;
  server = http.createServer();
  hub = new LiveHub(server, db.pool, grids, { tickMs: 50, timezone: 'Asia/Shanghai' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await hub?.close();
  await db?.close();
});

async function member(): Promise<{ socket: Socket; got: LivePositions[] }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  sockets.push(socket);
  const got: LivePositions[] = [];
  socket.on('positions', (m: LivePositions) => got.push(m));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const ack = await socket.timeout(5000).emitWithAck('subscribe', { scope: 'township', township: townshipA });
  expect(ack.ok).toBe(true);
  return { socket, got };
}

let t = Date.now() - 60_000;
function update(gridId: number): StatusUpdate {
  const ts = new Date((t += 1000));
  return { workerId: WORKER, assignedGridId: gridId, gridId, ts, lon: 118.7, lat: 34.5, speed: 1, heading: 0, accuracy: 5, battery: 80, state: 'patrolling', stateSince: ts, outsideSince: null } as StatusUpdate;
}
const until = async (pred: () => boolean) => {
  for (let i = 0; i < 100 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(pred()).toBe(true);
};
const sawWorker = (got: LivePositions[]) => got.some((m) => m.workers.some((w) => w[0] === WORKER));
const sawGone = (got: LivePositions[]) => got.some((m) => m.gone?.includes(WORKER));

describe('live view groups', () => {
  it('two clients of one township get the same update, and both are told when the worker leaves; so is one that joined after', async () => {
    const a = await member();
    const b = await member();
    hub.publish([update(inA)], []);
    await until(() => sawWorker(a.got) && sawWorker(b.got));
    const c = await member();
    hub.publish([update(inB)], []);
    await until(() => sawGone(a.got) && sawGone(b.got) && sawGone(c.got));
    // one message per group per tick: the same object content for every member
    expect(a.got.at(-1)).toEqual(b.got.at(-1));
  });

  it('one member leaving does not stop the others; the last one leaving ends the group', async () => {
    const a = await member();
    const b = await member();
    a.socket.close();
    hub.publish([update(inA)], []);
    await until(() => sawWorker(b.got));
    expect(sawWorker(a.got)).toBe(false);
  });

  it('incidents go to the screens of their township only', async () => {
    const a = await member();
    const got: Array<{ id: number }> = [];
    a.socket.on('incident', (m: { id: number }) => got.push(m));
    const county = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(county);
    const countyGot: Array<{ id: number }> = [];
    county.on('incident', (m: { id: number }) => countyGot.push(m));
    await new Promise<void>((r) => county.once('connect', () => r()));
    await county.timeout(5000).emitWithAck('subscribe', { scope: 'county' });
    hub.publishIncident({ id: 1, township: 'elsewhere', lon: 0, lat: 0 });
    hub.publishIncident({ id: 2, township: townshipA, lon: 118.7, lat: 34.5 });
    await until(() => countyGot.length === 2 && got.length >= 1);
    expect(got.map((m) => m.id)).toEqual([2]);
  });
});
