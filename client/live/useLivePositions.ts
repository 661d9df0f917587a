// Live worker positions over socket.io: subscribes to a view, applies the snapshot and every tick,
// and after a lost connection resubscribes with `since` to get only what it missed.
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { LiveEvent, LivePositions, LiveSnapshot, Subscription } from '../../server/schemas/live.js';
import type { IncidentMessage } from '../../server/schemas/workflow.js';
import { LiveStore } from './liveStore.js';
import { socketAuth } from '../auth/token.js';
import { useSession } from '../auth/useSession.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export type LiveView = { scope: 'county' } | { scope: 'township'; township: string } | { scope: 'bbox'; bbox: [number, number, number, number] };

export interface LiveFeed {
  store: LiveStore;
  /** Changes whenever the store changed (use as a dependency / deck.gl updateTrigger). */
  version: number;
  status: LiveStatus;
  /** When the last message arrived (ms), for a data-freshness indicator. */
  lastMessageAt: number | null;
  /** Recent worker events, newest first (at most 50). */
  events: LiveEvent[];
  /** Incidents reported or changed since the page opened, newest first (at most 200). */
  incidents?: IncidentMessage[];
}

export function useLivePositions(view: LiveView = { scope: 'county' }, url?: string): LiveFeed {
  const storeRef = useRef<LiveStore>(new LiveStore());
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [lastMessageAt, setLastMessageAt] = useState<number | null>(null);
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [incidents, setIncidents] = useState<IncidentMessage[]>([]);
  // A dispatcher limited to a township may only watch it: the county view becomes theirs.
  const { user } = useSession();
  const scoped: LiveView = view.scope === 'county' && user?.role === 'dispatcher' && user.township ? { scope: 'township', township: user.township } : view;
  const viewKey = JSON.stringify(scoped);

  useEffect(() => {
    const store = storeRef.current;
    const socket: Socket = io(url ?? globalThis.location?.origin ?? '', {
      transports: ['websocket'],
      // the session cookie goes with the handshake; the wall screen sends its token here
      auth: socketAuth,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    // Updates arrive several times a second: re-render at most once per animation frame.
    let frame = 0;
    const changed = () => {
      setLastMessageAt(Date.now());
      if (frame) return;
      frame = requestAnimationFrame(() => { frame = 0; setVersion(store.version); });
    };
    const subscribe = () => {
      const sub = { ...(JSON.parse(viewKey) as LiveView), ...(store.since ? { since: store.since } : {}) } as Subscription;
      socket.emit('subscribe', sub, (ack: { ok: boolean }) => { if (ack?.ok) setStatus('live'); });
    };
    socket.on('connect', subscribe);
    socket.on('disconnect', () => setStatus('reconnecting'));
    socket.io.on('reconnect_attempt', () => setStatus('reconnecting'));
    socket.on('snapshot', (m: LiveSnapshot) => { store.applySnapshot(m); changed(); });
    socket.on('positions', (m: LivePositions) => { store.applyPositions(m); changed(); });
    socket.on('events', (list: LiveEvent[]) => {
      setEvents((prev) => [...[...list].reverse(), ...prev].slice(0, 50));
    });
    socket.on('incident', (m: IncidentMessage) => setIncidents((prev) => [m, ...prev].slice(0, 200)));
    // The server says when its database is unreachable: nothing moves meanwhile; when it is back,
    // subscribe again with `since` to get what was committed around the outage.
    let databaseDown = false;
    socket.on('server-status', (s: { database: 'up' | 'down' }) => {
      if (s.database === 'down') { databaseDown = true; setStatus('reconnecting'); }
      else if (databaseDown) { databaseDown = false; subscribe(); }
    });
    return () => {
      cancelAnimationFrame(frame);
      socket.close();
    };
  }, [viewKey, url]);

  return { store: storeRef.current, version, status, lastMessageAt, events, incidents };
}
