// Socket.io clients for the fan-out benchmark, run in processes of their own (started by
// tests/bench/ingest.ts) so that receiving and parsing hundreds of clients' messages does not stall
// the process that posts positions and records when each was acknowledged. The parent sends the
// acknowledgement times; this process measures, for every position a client receives, the time from
// its acknowledgement to its arrival.
import { io, type Socket } from 'socket.io-client';
import type { Subscription } from '../../server/schemas/live.js';

export type ToClients =
  | { type: 'start'; url: string; subs: Subscription[]; token?: string }
  | { type: 'acks'; acks: Array<[string, number]> }
  | { type: 'measure' }
  | { type: 'stop' };
export type FromClients =
  | { type: 'ready' }
  | { type: 'result'; latencies: number[]; deliveries: number; bytes: number[]; unmatched: number };

const send = (m: FromClients) => process.send!(m);
const sockets: Socket[] = [];
const acked = new Map<string, number>();
/** Arrivals seen before their acknowledgement reached this process: matched at the end. */
let early: Array<[string, number]> = [];
let latencies: number[] = [];
let deliveries = 0;
/** At most this many latencies kept, a uniform sample of all (a 10-minute run at 500 clients delivers hundreds of millions). */
const KEEP = 1_000_000;
function record(ms: number) {
  deliveries++;
  if (latencies.length < KEEP) latencies.push(ms);
  else { const j = Math.floor(Math.random() * deliveries); if (j < KEEP) latencies[j] = ms; }
}
let bytes: number[] = [];
let measuring = false;

async function start(url: string, subs: Subscription[], token?: string) {
  bytes = subs.map(() => 0);
  await Promise.all(subs.map(async (sub, k) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}) });
    await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
    socket.io.engine.on('packet', (p: { data?: unknown }) => { if (measuring && typeof p.data === 'string') bytes[k] += p.data.length; });
    socket.on('positions', (m: { workers: Array<[number, number, number, number]> }) => {
      if (!measuring) return;
      const now = Date.now();
      for (const w of m.workers) {
        const key = `${w[0]}|${w[3]}`;
        const a = acked.get(key);
        if (a !== undefined) record(now - a);
        else early.push([key, now]);
      }
    });
    const r = await socket.timeout(30_000).emitWithAck('subscribe', sub) as { ok: boolean; error?: string };
    if (!r.ok) throw new Error(`subscribe failed: ${r.error}`);
    sockets.push(socket);
  }));
}

process.on('message', (m: ToClients) => {
  if (m.type === 'start') start(m.url, m.subs, m.token).then(() => send({ type: 'ready' }), (err) => { console.error(err); process.exit(1); });
  else if (m.type === 'acks') for (const [k, t] of m.acks) acked.set(k, t);
  else if (m.type === 'measure') { measuring = true; latencies = []; deliveries = 0; early = []; bytes.fill(0); }
  else if (m.type === 'stop') {
    measuring = false;
    let unmatched = 0;
    for (const [key, at] of early) {
      const a = acked.get(key);
      if (a !== undefined) record(at - a); else unmatched++;
    }
    sockets.forEach((s) => s.close());
    // exit once the (large) result has been handed to the parent
    process.send!({ type: 'result', latencies, deliveries, bytes, unmatched } satisfies FromClients, () => process.exit(0));
  }
});
