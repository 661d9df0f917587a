// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import type { Topology } from 'topojson-specification';
import { ApiClient, ApiError, decodeGridTopology } from '../../client/api/client.js';
import type { GridProperties } from '../../server/schemas/grids.js';

const props = (id: number, kind: 'urban' | 'rural'): GridProperties => ({
  id,
  code: `320722001001-0${id}`,
  name: `牛山社区第${id}网格`,
  kind,
  villageCode: '320722001001',
  villageName: '牛山社区',
  townshipCode: '320722001',
  townshipName: '牛山街道',
  workerCount: id + 1,
  version: 1,
});

// Two unit squares (quantised 0..110 × 0..10, scale 0.001°) sharing their middle edge, arc 0:
// left = arc 0 + arc 1, right = ~arc 0 + ~arc 2. Plus a grid whose geometry is missing.
const topology: Topology = {
  type: 'Topology',
  transform: { scale: [0.001, 0.001], translate: [118.7, 34.5] },
  arcs: [
    [[100, 0], [0, 10]],
    [[100, 10], [-10, 0], [0, -10], [10, 0]],
    [[100, 10], [10, 0], [0, -10], [-10, 0]],
  ],
  objects: {
    grids: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', id: 1, arcs: [[0, 1]], properties: props(1, 'urban') },
        { type: 'Polygon', id: 2, arcs: [[-1, -3]], properties: props(2, 'rural') },
        { type: null, id: 3, properties: props(3, 'rural') },
      ],
    },
  },
};

const requests: string[] = [];
const server = setupServer(
  http.get('*/api/grids', ({ request }) => {
    requests.push(request.url);
    const url = new URL(request.url);
    if (url.searchParams.get('format') !== 'topojson') return HttpResponse.json({ message: 'expected topojson' }, { status: 400 });
    return HttpResponse.json(topology);
  }),
  http.get('*/api/regions', ({ request }) => {
    requests.push(request.url);
    const level = new URL(request.url).searchParams.get('level');
    if (level !== 'township') return HttpResponse.json({ message: 'no such level' }, { status: 400 });
    return HttpResponse.json({ type: 'FeatureCollection', features: [] });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  requests.length = 0;
  server.resetHandlers();
});
afterAll(() => server.close());

const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-9);

describe('API client', () => {
  it('fetches the grids as TopoJSON and decodes them to GeoJSON features', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const api = new ApiClient(); // jsdom: same origin as the page
    const fc = await api.grids();
    expect(new URL(requests[0]).searchParams.get('format')).toBe('topojson');
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(2);
    expect(warn).toHaveBeenCalledOnce(); // the grid without geometry is left out, loudly
    warn.mockRestore();

    const [left, right] = fc.features;
    expect(left.id).toBe(1);
    expect(left.properties).toEqual(props(1, 'urban'));
    expect(right.properties.kind).toBe('rural');
    expect(left.geometry.type).toBe('Polygon');
    const ring = left.geometry.coordinates[0];
    expect(ring).toHaveLength(5);
    expect(close(ring[0], ring[4])).toBe(true);
    expect(close(ring[0], [118.8, 34.5])).toBe(true);
    expect(close(ring[2], [118.79, 34.51])).toBe(true);
    // The shared edge decodes to the same coordinates in both grids.
    const rightRing = right.geometry.coordinates[0];
    expect(rightRing.some((p) => close(p, [118.8, 34.51]))).toBe(true);
    expect(rightRing.some((p) => close(p, [118.81, 34.5]))).toBe(true);
  });

  it('passes the bbox and the region level as query parameters', async () => {
    const api = new ApiClient({ baseUrl: 'http://api.test/' });
    vi.spyOn(console, 'warn').mockImplementationOnce(() => {});
    await api.grids({ bbox: [118.7, 34.48, 118.82, 34.56] });
    expect(new URL(requests[0]).searchParams.get('bbox')).toBe('118.7,34.48,118.82,34.56');
    expect(new URL(requests[0]).origin).toBe('http://api.test');
    const regions = await api.regions('township');
    expect(regions.features).toEqual([]);
    expect(new URL(requests[1]).searchParams.get('level')).toBe('township');
  });

  it('turns HTTP errors into ApiError with the server message', async () => {
    const api = new ApiClient();
    const err = await api.regions('village').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toContain('no such level');
  });

  it('rejects a topology without a "grids" object', () => {
    expect(() => decodeGridTopology({ type: 'Topology', arcs: [], objects: {} })).toThrow(/grids/);
  });
});
