// @vitest-environment jsdom
// The map state in the URL (client/state/urlState.ts): serialise / parse round trip, defaults left
// out, forgiving parsing, and the hook that restores the state from the location and writes it
// back with a debounced history.replaceState.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import {
  DEFAULT_URL_STATE,
  parseUrlState,
  serializeUrlState,
  useUrlState,
  type MapUrlState,
} from '../../client/state/urlState.js';
import { resolveWindow } from '../../client/state/timeWindow.js';

const full: MapUrlState = {
  center: [118.76495, 34.52352],
  zoom: 12.5,
  layers: ['grids', 'incidents', 'patrols'],
  indicator: 'coverage',
  gridLabel: 'code',
  window: 'custom',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-20T12:00:00.000Z',
  categories: ['环境卫生', '占道经营'],
  sources: ['hotline', 'police_110'],
  statuses: ['open', 'overdue'],
  basemap: 'online',
};

describe('URL state: serialise and parse', () => {
  it('round-trips every field', () => {
    const q = serializeUrlState(full);
    expect(parseUrlState(q)).toEqual(full);
    // Readable: commas and Chinese stay as they are.
    expect(q).toContain('layers=grids,incidents,patrols');
    expect(q).toContain('c=118.76495,34.52352');
    expect(decodeURIComponent(q)).toContain('cat=环境卫生,占道经营');
  });

  it('writes nothing for the defaults, and parses nothing back to the defaults', () => {
    expect(serializeUrlState({ ...DEFAULT_URL_STATE, layers: [...DEFAULT_URL_STATE.layers] })).toBe('');
    expect(parseUrlState('')).toEqual(DEFAULT_URL_STATE);
  });

  it('"layers=" empty is the bare base map, distinct from the default', () => {
    const bare = parseUrlState('?layers=');
    expect(bare.layers).toEqual([]);
    expect(serializeUrlState(bare)).toBe('layers=');
    expect(parseUrlState(serializeUrlState(bare)).layers).toEqual([]);
  });

  it('keeps layers in canonical order and drops unknown ones', () => {
    expect(parseUrlState('layers=patrols,bogus,grids,grids').layers).toEqual(['grids', 'patrols']);
  });

  it('falls back to defaults for malformed values', () => {
    const s = parseUrlState('c=abc,1&z=x&ind=nope&win=1y&src=hotline,fax&st=open,weird&bm=satellite&label=id');
    expect(s.center).toBeNull();
    expect(s.zoom).toBeNull();
    expect(s.indicator).toBe(DEFAULT_URL_STATE.indicator);
    expect(s.window).toBe(DEFAULT_URL_STATE.window);
    expect(s.sources).toEqual(['hotline']);
    expect(s.statuses).toEqual(['open']);
    expect(s.basemap).toBe('offline');
    expect(s.gridLabel).toBe('name');
  });

  it('needs both ends of a custom window, in order', () => {
    expect(parseUrlState('win=custom&from=2026-11-02T00:00:00Z').window).toBe('7d');
    expect(parseUrlState('win=custom&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z').window).toBe('7d');
    const ok = parseUrlState('win=custom&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z');
    expect(ok).toMatchObject({ window: 'custom', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' });
    // Presets carry no bounds.
    expect(parseUrlState('win=24h&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z')).toMatchObject({ from: null, to: null });
  });

  it('leaves other query parameters alone', () => {
    const q = serializeUrlState({ ...full, layers: ['grids'] }, 'kiosk=1&z=3');
    const p = new URLSearchParams(q);
    expect(p.get('kiosk')).toBe('1');
    expect(p.get('z')).toBe('12.50');
  });

  it('resolves presets to a window ending now (to the minute), custom to its bounds', () => {
    const now = Date.parse('2026-11-27T13:44:52.500Z');
    expect(resolveWindow({ window: '24h', from: null, to: null }, now)).toEqual({
      from: '2026-11-26T13:44:00.000Z',
      to: '2026-11-27T13:44:00.000Z',
    });
    expect(resolveWindow({ window: '30d', from: null, to: null }, now).from).toBe('2026-10-28T13:44:00.000Z');
    expect(resolveWindow(full, now)).toEqual({ from: full.from, to: full.to });
  });
});

function Probe() {
  const [state, update] = useUrlState(300);
  return (
    <div>
      <output data-testid="state">{JSON.stringify(state)}</output>
      <button type="button" onClick={() => update({ zoom: 14, center: [118.7, 34.6] })}>move</button>
      <button type="button" onClick={() => update((s) => ({ layers: s.layers.filter((l) => l !== 'cameras') }))}>hide cameras</button>
    </div>
  );
}

describe('useUrlState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    history.replaceState(null, '', '/');
  });

  it('restores the state from the location of the page load', () => {
    history.replaceState(null, '', `/screen?${serializeUrlState(full)}`);
    render(<Probe />);
    expect(JSON.parse(screen.getByTestId('state').textContent!)).toEqual(full);
  });

  it('writes changes with one debounced replaceState, keeping the path and other parameters', () => {
    history.replaceState(null, '', '/screen?kiosk=1&layers=grids,cameras');
    const replace = vi.spyOn(history, 'replaceState');
    render(<Probe />);
    act(() => screen.getByText('move').click());
    act(() => screen.getByText('hide cameras').click());
    expect(replace).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(350);
    });
    expect(replace).toHaveBeenCalledTimes(1);
    expect(location.pathname).toBe('/screen');
    const q = new URLSearchParams(location.search);
    expect(q.get('kiosk')).toBe('1');
    expect(q.get('layers')).toBe('grids');
    expect(q.get('z')).toBe('14.00');
    expect(q.get('c')).toBe('118.70000,34.60000');
    // A reload restores what was written.
    expect(parseUrlState(location.search)).toMatchObject({ layers: ['grids'], zoom: 14, center: [118.7, 34.6] });
    replace.mockRestore();
  });

  it('does not touch the URL when nothing changed', () => {
    history.replaceState(null, '', '/?win=24h');
    const replace = vi.spyOn(history, 'replaceState');
    render(<Probe />);
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(replace).not.toHaveBeenCalled();
    replace.mockRestore();
  });
});
