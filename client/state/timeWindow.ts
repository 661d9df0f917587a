// The incident time window: a preset (last 24 h / 7 / 30 days, ending now) or a custom range.
// `now` is rounded down to the minute so that query keys (and the server's answers) stay the same
// for a minute instead of changing on every render.
import { useEffect, useState } from 'react';
import type { MapUrlState, WindowPreset } from './urlState.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** How far back the custom range slider reaches. */
export const SLIDER_DAYS = 90;

const PRESET_MS: Record<Exclude<WindowPreset, 'custom'>, number> = { '24h': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };

export interface ResolvedWindow {
  from: string;
  to: string;
}

export function resolveWindow(state: Pick<MapUrlState, 'window' | 'from' | 'to'>, nowMs: number): ResolvedWindow {
  if (state.window === 'custom' && state.from && state.to) return { from: state.from, to: state.to };
  const preset = state.window === 'custom' ? '7d' : state.window;
  const to = Math.floor(nowMs / 60_000) * 60_000;
  return { from: new Date(to - PRESET_MS[preset]).toISOString(), to: new Date(to).toISOString() };
}

/** The current time, updated every `stepMs` (default a minute). */
export function useNow(stepMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), stepMs);
    return () => clearInterval(id);
  }, [stepMs]);
  return now;
}
