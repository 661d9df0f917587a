// A socket.io client for tests: subscribe, and wait for a message that matches.
import { io, type Socket } from 'socket.io-client';
import type { LivePositions, LiveSnapshot, Subscription } from '../../server/schemas/live.js';

export interface LiveClient {
  socket: Socket;
  snapshots: LiveSnapshot[];
  positions: LivePositions[];
  subscribe(sub: Subscription): Promise<{ ok: boolean; at?: string; error?: string; workers?: number }>;
  /** The next message (snapshot or positions) that matches, arriving after this call. */
  waitFor(pred: (m: LivePositions) => boolean, timeoutMs?: number): Promise<LivePositions>;
  close(): void;
}

/** A client logged in with `token` (sent as `auth.token` in the handshake, as the wall screen does). */
export async function liveClient(url: string, token?: string): Promise<LiveClient> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(token ? { auth: { token } } : {}) });
  const snapshots: LiveSnapshot[] = [];
  const positions: LivePositions[] = [];
  const waiters: Array<{ pred: (m: LivePositions) => boolean; resolve: (m: LivePositions) => void }> = [];
  const deliver = (m: LivePositions) => {
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  };
  socket.on('snapshot', (m: LiveSnapshot) => { snapshots.push(m); deliver(m); });
  socket.on('positions', (m: LivePositions) => { positions.push(m); deliver(m); });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    socket, snapshots, positions,
    subscribe: (sub) => socket.timeout(10_000).emitWithAck('subscribe', sub),
    waitFor: (pred, timeoutMs = 5000) => new Promise((resolve, reject) => {
      const w = { pred, resolve };
      waiters.push(w);
      setTimeout(() => { if (waiters.includes(w)) { waiters.splice(waiters.indexOf(w), 1); reject(new Error('timed out waiting for a live message')); } }, timeoutMs);
    }),
    close: () => socket.close(),
  };
}
