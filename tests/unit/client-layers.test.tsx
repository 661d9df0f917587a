// @vitest-environment jsdom
// The map's layer building: camera clustering and view cones, and the performance rule of the
// command-center map — a live-positions update hands deck.gl a new workers layer and the very same
// instances of every other layer (so deck.gl neither diffs nor rebuilds them).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import type { Layer } from '@deck.gl/core';
import { clusterPoints, worldPixel } from '../../client/map/cluster.js';
import { viewCone } from '../../client/map/viewCone.js';
import { cameraView, prepareCameras, CAMERA_CLUSTER_MAX_ZOOM } from '../../client/map/layers/camerasLayer.js';
import { useCommandLayers, queryBox, type CommandLayersInput } from '../../client/map/useCommandLayers.js';
import { WGS84_CRS } from '../../client/map/crs.js';
import { LiveStore } from '../../client/live/liveStore.js';
import type { LiveFeed } from '../../client/live/useLivePositions.js';
import type { ApiClient, CameraFeature, GridFeature } from '../../client/api/client.js';
import { DEFAULT_URL_STATE } from '../../client/state/urlState.js';
import { darkTheme } from '../../client/theme.js';
import type { LiveWorkerTuple } from '../../server/schemas/live.js';

beforeAll(() => {
  // jsdom has no canvas: the icon atlases are skipped (their layers too), quietly.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement['getContext'];
});
afterEach(cleanup);

describe('screen-space clustering', () => {
  const pts: Array<[number, number]> = [
    [118.7, 34.5],
    [118.7003, 34.5002], // ~30 m away: together at any county zoom
    [118.9, 34.7], // far away
  ];
  it('joins points within the radius and keeps far ones apart', () => {
    const c = clusterPoints(pts, (p) => p, 10, 40);
    expect(c.map((x) => x.members.length).sort()).toEqual([1, 2]);
    const pair = c.find((x) => x.members.length === 2)!;
    expect(pair.position[0]).toBeCloseTo(118.70015, 6);
    expect(pair.bbox).toEqual([118.7, 34.5, 118.7003, 34.5002]);
  });

  it('separates everything when zoomed in far enough', () => {
    expect(clusterPoints(pts, (p) => p, 18, 40)).toHaveLength(3);
  });

  it('measures in Web Mercator pixels of 512-px tiles', () => {
    const [x0] = worldPixel(0, 0, 0);
    expect(x0).toBe(256);
    const [x1, y1] = worldPixel(180, 0, 1);
    expect(x1).toBe(1024);
    expect(y1).toBeCloseTo(512, 6);
  });
});

describe('cameras', () => {
  const cams: CameraFeature[] = Array.from({ length: 50 }, (_, i) => ({
    type: 'Feature',
    id: i + 1,
    geometry: { type: 'Point', coordinates: [118.5 + (i % 10) * 0.05, 34.3 + Math.floor(i / 10) * 0.05] },
    properties: { id: i + 1, code: `C${i}`, name: `cam ${i}`, kind: 'xueliang', status: i % 7 ? 'online' : 'offline', heading: 90, fov: 60, rangeM: 100, streamUrl: null, gridCode: null },
  }));
  const points = prepareCameras(cams, WGS84_CRS);

  it('clusters at county zoom, the same arrays per integer zoom, every camera single from the cluster limit on', () => {
    const a = cameraView(points, 9.2);
    expect(a.clusters.length).toBeGreaterThan(0);
    expect(a.clusters.reduce((n, c) => n + c.members.length, 0) + a.singles.length).toBe(50);
    expect(cameraView(points, 9.7)).toBe(a); // same integer zoom: same data for deck.gl
    expect(cameraView(points, CAMERA_CLUSTER_MAX_ZOOM + 0.5).singles).toHaveLength(50);
    // A 4K wall (pixelScale 2) one zoom level closer clusters like 1080p.
    expect(cameraView(points, 10.2, 2).clusters.length).toBe(a.clusters.length);
  });

  it('draws the field of view as a closed sector around the heading', () => {
    const ring = viewCone(118.7, 34.5, 90, 60, 100, 6);
    expect(ring[0]).toEqual([118.7, 34.5]); // apex at the camera
    expect(ring[ring.length - 1]).toEqual(ring[0]);
    // Heading east: every arc point lies east of the camera, ~100 m away.
    const arc = ring.slice(1, -1);
    const mPerDegLon = 111_320 * Math.cos((34.5 * Math.PI) / 180);
    for (const [x, y] of arc) {
      expect(x).toBeGreaterThan(118.7);
      expect(Math.hypot((x - 118.7) * mPerDegLon, (y - 34.5) * 111_320)).toBeCloseTo(100, 3);
    }
    // ±30° around east: the middle of the arc lies due east.
    expect(arc[3][1]).toBeCloseTo(34.5, 9);
  });
});

describe('layer identity under live updates', () => {
  const grid = (id: number, x: number): GridFeature => ({
    type: 'Feature',
    id,
    geometry: { type: 'Polygon', coordinates: [[[x, 34.5], [x + 0.01, 34.5], [x + 0.01, 34.51], [x, 34.5]]] },
    properties: { id, code: `G${id}`, name: `网格${id}`, kind: 'urban', villageCode: 'v', villageName: 'v', townshipCode: 't', townshipName: 't', workerCount: 1, version: 1 },
  });
  const api = {
    gridIndicator: async () => ({ indicator: 'open_incidents', max: 3, values: { 1: 3, 2: 0 } }),
    cameras: async () => ({ type: 'FeatureCollection', features: [] }),
    heatmap: async () => ({ cell: 0.01, total: 5, maxCount: 3, bins: [[118.7, 34.5, 3], [118.8, 34.6, 2]] }),
    incidents: async () => ({ type: 'FeatureCollection', features: [], numberMatched: 0, truncated: false }),
    tracks: async () => [],
  } as unknown as ApiClient;

  const tuple = (id: number, lon: number): LiveWorkerTuple => [id, lon, 34.5, Date.now(), 0, 1, 0, 1, 1];

  it('a positions tick changes only the workers layer', async () => {
    const store = new LiveStore();
    store.applySnapshot({ at: new Date().toISOString(), full: true, workers: [tuple(1, 118.7), tuple(2, 118.8)] });
    const feed = (): LiveFeed => ({ store, version: store.version, status: 'live', lastMessageAt: Date.now(), events: [] });
    const base: CommandLayersInput = {
      api,
      state: { ...DEFAULT_URL_STATE, layers: [...DEFAULT_URL_STATE.layers] },
      view: { zoom: 9.5, center: [118.75, 34.5], bounds: [118.3, 34.2, 119.2, 34.9] },
      zoomStep: 9.5,
      theme: darkTheme,
      crs: WGS84_CRS,
      pixelScale: 1,
      timezone: 'Asia/Shanghai',
      nowMs: Date.parse('2026-11-27T06:00:00Z'),
      mapData: { county: [], townships: [], villages: [], grids: [grid(1, 118.7), grid(2, 118.8)] },
      live: feed(),
      selection: null,
    };
    const { result, rerender } = renderHook((p: CommandLayersInput) => useCommandLayers(p), { initialProps: base });
    await waitFor(() => expect(result.current.pending).toEqual([]));
    const before = result.current;
    const ids = (ls: Layer[]) => ls.map((l) => l.id);
    expect(ids(before.above)).toContain('workers');
    expect(ids(before.below)).toEqual(['incident-heatmap']);

    // A tick: one worker moves.
    store.applyPositions({ at: new Date().toISOString(), workers: [tuple(1, 118.71)] });
    rerender({ ...base, live: feed() });
    const after = result.current;
    expect(after.grids).toBe(before.grids); // the grid options object: same, so the grid layer is reused
    expect(after.below).toBe(before.below);
    const changed = after.above.filter((l, i) => l !== before.above[i]).map((l) => l.id);
    expect(changed).toEqual(['workers']);
    const workers = after.above.find((l) => l.id === 'workers')!;
    expect((workers.props.data as LiveWorkerTuple[]).find((t) => t[0] === 1)![1]).toBe(118.71);

    // A new indicator colour set changes the grid options, not the others.
    rerender({ ...base, live: feed(), state: { ...base.state, indicator: 'workers_on_duty' } });
    await waitFor(() => expect(result.current.grids).not.toBe(before.grids));
    expect(result.current.below).toBe(before.below);
  });

  it('snaps query boxes so that small pans reuse the same request', () => {
    const a = queryBox([118.701, 34.501, 118.8, 34.6], 0.01);
    expect(a).toEqual([118.65, 34.45, 118.85, 34.65]);
    expect(queryBox([118.7012, 34.5011, 118.8002, 34.6003], 0.01)).toEqual(a);
    // The padded box always contains the view.
    const b = queryBox([118.7049, 34.5049, 118.7051, 34.5051], 0.01);
    expect(b[0]).toBeLessThanOrEqual(118.7049);
    expect(b[2]).toBeGreaterThanOrEqual(118.7051);
  });
});
