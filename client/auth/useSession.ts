// The session, shared by every component that asks: one GET /api/auth/me for the page, updated at
// once by login and logout. `user` is null when not logged in; undefined while it is being asked.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { fetchMe, logout as apiLogout, type AuthApiOptions, type CurrentUser } from './api.js';

export interface SessionState {
  /** undefined: not known yet; null: not logged in */
  user: CurrentUser | null | undefined;
  error: string | null;
}

type Listener = () => void;

/** A tiny store (exported for tests: `sessionStore.reset()`). */
export const sessionStore = {
  state: { user: undefined, error: null } as SessionState,
  listeners: new Set<Listener>(),
  loading: null as Promise<void> | null,
  options: {} as AuthApiOptions,
  set(next: SessionState) {
    this.state = next;
    for (const l of this.listeners) l();
  },
  subscribe(l: Listener) {
    sessionStore.listeners.add(l);
    return () => {
      sessionStore.listeners.delete(l);
    };
  },
  load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    const p = fetchMe(this.options)
      .then((user) => this.set({ user, error: null }))
      .catch((err: unknown) => this.set({ user: this.state.user ?? null, error: String(err instanceof Error ? err.message : err) }))
      .finally(() => {
        if (this.loading === p) this.loading = null;
      });
    this.loading = p;
    return p;
  },
  reset(options: AuthApiOptions = {}) {
    this.options = options;
    this.loading = null;
    this.state = { user: undefined, error: null };
  },
};

export interface Session extends SessionState {
  loading: boolean;
  /** Ask the server again. */
  refresh(): Promise<void>;
  /** After a successful login (LoginForm calls it). */
  setUser(user: CurrentUser | null): void;
  logout(): Promise<void>;
}

export function useSession(): Session {
  const state = useSyncExternalStore(sessionStore.subscribe, () => sessionStore.state, () => sessionStore.state);
  useEffect(() => {
    if (sessionStore.state.user === undefined) void sessionStore.load();
  }, []);
  const refresh = useCallback(() => sessionStore.load(true), []);
  const setUser = useCallback((user: CurrentUser | null) => sessionStore.set({ user, error: null }), []);
  const logout = useCallback(async () => {
    try {
      await apiLogout(sessionStore.options);
    } finally {
      sessionStore.set({ user: null, error: null });
    }
  }, []);
  return { ...state, loading: state.user === undefined, refresh, setUser, logout };
}
