// Saved grid edits, live: the server emits `grids-changed` {changeSetId, grids: [{id, change,
// version}]} on the default socket.io namespace after every committed change set. Any view showing
// grids calls `useGridsChanged(onChange)` and reloads what changed.
//
//   useGridsChanged((e) => reloadGrids(e.grids.map((g) => g.id)));
import { useEffect } from 'react';
import { useLatest } from '../useLatest.js';
import { io, type Socket } from 'socket.io-client';
import { socketAuth } from '../auth/token.js';

export interface GridsChangedEvent {
  changeSetId: number | null;
  grids: Array<{ id: number; change: 'created' | 'changed' | 'retired' | string; version: number | null }>;
}

export interface GridsChangedOptions {
  /** Server origin (default: the page's). */
  url?: string;
  /** Called on (re)connection: changes may have been missed while disconnected. */
  onReconnect?: () => void;
  /** Off: no socket (e.g. until logged in). Default on. */
  enabled?: boolean;
}

export function useGridsChanged(onChange: (event: GridsChangedEvent) => void, options: GridsChangedOptions = {}): void {
  const handlers = useLatest({ onChange, onReconnect: options.onReconnect });
  const { url, enabled = true } = options;
  useEffect(() => {
    if (!enabled) return;
    const socket: Socket = io(url ?? globalThis.location?.origin ?? '', {
      transports: ['websocket'],
      auth: socketAuth,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    let connectedBefore = false;
    socket.on('connect', () => {
      if (connectedBefore) handlers.current.onReconnect?.();
      connectedBefore = true;
    });
    socket.on('grids-changed', (e: GridsChangedEvent) => handlers.current.onChange(e));
    return () => {
      socket.close();
    };
  }, [url, enabled]);
}
