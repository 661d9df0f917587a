// Topological editing on small hand-made coverages (client/editor/topology.ts).
import { describe, expect, it } from 'vitest';
import {
  areaM2, buildNodeIndex, changedGrids, deleteNode, findSnap, gridsAtNode, insertOnEdge, isEditError, mergePolygons, moveNode,
  extendEnds, nodeKey, polygonIssues, ringIssues, round7, splitPolygon, type Coverage, type PolygonCoords,
} from '../../client/editor/topology.js';

const S = 0.01; // cell size in degrees
const X0 = 118.7;
const Y0 = 34.5;
const sq = (i: number, j: number): PolygonCoords => {
  const x = X0 + i * S;
  const y = Y0 + j * S;
  return [[[x, y], [x + S, y], [x + S, y + S], [x, y + S], [x, y]]];
};
/** 2×2 cells: 1 bottom-left, 2 bottom-right, 3 top-left, 4 top-right; centre node shared by all. */
const grid2x2 = (): Coverage => new Map([[1, sq(0, 0)], [2, sq(1, 0)], [3, sq(0, 1)], [4, sq(1, 1)]]);
const CENTRE = [X0 + S, Y0 + S];
const total = (c: Coverage) => [...c.values()].reduce((s, p) => s + areaM2(p), 0);

function ok<T extends object>(r: T): Exclude<T, { error: string }> {
  if ('error' in r) throw new Error(`edit failed: ${JSON.stringify(r)}`);
  return r as Exclude<T, { error: string }>;
}

describe('node index', () => {
  it('finds the centre node in all four grids and edge midpoints in two', () => {
    const idx = buildNodeIndex(grid2x2());
    expect(gridsAtNode(idx, CENTRE).sort()).toEqual([1, 2, 3, 4]);
    expect(gridsAtNode(idx, [X0 + S, Y0]).sort()).toEqual([1, 2]);
    expect(gridsAtNode(idx, [X0, Y0])).toEqual([1]);
    // 9 distinct nodes in a 2×2 grid
    expect(idx.nodes.size).toBe(9);
  });

  it('treats vertices equal at 7 decimals as the same node', () => {
    expect(nodeKey([118.12345671, 34.1])).toBe(nodeKey([118.12345674, 34.1]));
    expect(nodeKey([118.1234567, 34.1])).not.toBe(nodeKey([118.1234568, 34.1]));
  });
});

describe('moving a node', () => {
  it('moves the centre node in all four grids and keeps the total area', () => {
    const c = grid2x2();
    const before = total(c);
    const r = ok(moveNode(c, CENTRE, [CENTRE[0] + 0.003, CENTRE[1] - 0.002]));
    expect(r.changed.sort()).toEqual([1, 2, 3, 4]);
    expect(total(r.coverage)).toBeCloseTo(before, 3);
    // every area changed, no gap: the four still share the moved node
    for (const id of [1, 2, 3, 4]) expect(areaM2(r.coverage.get(id)!)).not.toBeCloseTo(areaM2(c.get(id)!), 0);
    expect(gridsAtNode(buildNodeIndex(r.coverage), [CENTRE[0] + 0.003, CENTRE[1] - 0.002]).sort()).toEqual([1, 2, 3, 4]);
    // input not mutated
    expect(c.get(1)![0][2]).toEqual(CENTRE);
    expect(changedGrids(c, r.coverage).sort()).toEqual([1, 2, 3, 4]);
  });

  it('moves the closing vertex too when the node is the ring start', () => {
    const c = grid2x2();
    const r = ok(moveNode(c, [X0, Y0], [X0 - 0.001, Y0 - 0.001]));
    const ring = r.coverage.get(1)![0];
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(ring[0]).toEqual([X0 - 0.001, Y0 - 0.001]);
    expect(r.changed).toEqual([1]);
  });

  it('rounds the new position to 7 decimals and refuses an unknown node', () => {
    const r = ok(moveNode(grid2x2(), CENTRE, [118.712345678, 34.512345678]));
    expect(r.coverage.get(4)![0][0]).toEqual([118.7123457, 34.5123457]);
    expect(moveNode(grid2x2(), [1, 1], [2, 2])).toMatchObject({ error: 'not_a_node' });
  });
});

describe('inserting a vertex on an edge', () => {
  it('inserts into both grids sharing the edge, whatever their ring direction', () => {
    const c = grid2x2();
    const a = [X0 + S, Y0];
    const b = [X0 + S, Y0 + S];
    const p = [X0 + S, Y0 + S / 2];
    const r = ok(insertOnEdge(c, a, b, p));
    expect(r.changed.sort()).toEqual([1, 2]);
    for (const id of [1, 2]) expect(r.coverage.get(id)![0]).toHaveLength(6);
    expect(gridsAtNode(buildNodeIndex(r.coverage), p).sort()).toEqual([1, 2]);
    // then moving the new node keeps the coverage whole
    const before = total(c);
    const m = ok(moveNode(r.coverage, p, [X0 + S + 0.004, Y0 + S / 2]));
    expect(m.changed.sort()).toEqual([1, 2]);
    expect(total(m.coverage)).toBeCloseTo(before, 3);
    expect(areaM2(m.coverage.get(1)!)).toBeGreaterThan(areaM2(c.get(1)!));
  });

  it('refuses an edge no ring has', () => {
    expect(insertOnEdge(grid2x2(), [X0, Y0], [X0 + 2 * S, Y0 + 2 * S], [X0 + S / 3, Y0 + S / 3])).toMatchObject({ error: 'not_an_edge' });
  });
});

describe('deleting a node', () => {
  it('deletes an inserted shared vertex from both grids', () => {
    const p = [X0 + S, Y0 + S / 2];
    const ins = ok(insertOnEdge(grid2x2(), [X0 + S, Y0], [X0 + S, Y0 + S], p));
    const del = ok(deleteNode(ins.coverage, p));
    expect(del.changed.sort()).toEqual([1, 2]);
    expect(del.coverage.get(1)![0]).toHaveLength(5);
    expect(total(del.coverage)).toBeCloseTo(total(grid2x2()), 3);
  });

  it('refuses when a ring would keep fewer than 3 vertices', () => {
    const tri: Coverage = new Map([[1, [[[0, 0], [1, 0], [0, 1], [0, 0]]]]]);
    const r = deleteNode(tri, [1, 0]);
    expect(isEditError(r) && r.error).toBe('too_few_vertices');
    // a square loses a corner fine
    expect(isEditError(deleteNode(grid2x2(), [X0, Y0]))).toBe(false);
  });
});

describe('ring checks', () => {
  it('accepts a square and flags a bow-tie, an open ring and too few vertices', () => {
    expect(ringIssues(sq(0, 0)[0])).toEqual([]);
    expect(ringIssues([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toContain('self_intersection');
    expect(ringIssues([[0, 0], [1, 0], [1, 1], [0, 1]])).toContain('not_closed');
    expect(ringIssues([[0, 0], [1, 0], [0, 0], [0, 0]])).toContain('too_few_vertices');
  });

  it('sees a self-intersection made by dragging a node across the polygon', () => {
    const r = ok(moveNode(grid2x2(), CENTRE, [X0 - 0.001, Y0 + S / 2]));
    expect(polygonIssues(r.coverage.get(1)!)).toContain('self_intersection');
    expect(polygonIssues(r.coverage.get(4)!)).toEqual([]);
  });
});

describe('split and merge', () => {
  it('splits a square in two and merging the parts gives the area back', () => {
    const poly = sq(0, 0);
    const line = [[X0 - 0.002, Y0 + 0.004], [X0 + S / 2, Y0 + 0.005], [X0 + S + 0.002, Y0 + 0.006]];
    const parts = splitPolygon(poly, line);
    expect(parts).not.toBeNull();
    const [a, b] = parts!;
    expect(areaM2(a)).toBeGreaterThanOrEqual(areaM2(b));
    expect(areaM2(a) + areaM2(b)).toBeCloseTo(areaM2(poly), 0);
    expect(polygonIssues(a)).toEqual([]);
    expect(polygonIssues(b)).toEqual([]);
    const merged = mergePolygons([a, b]);
    expect(merged).not.toBeNull();
    expect(areaM2(merged!)).toBeCloseTo(areaM2(poly), 0);
  });

  it('refuses a line that does not cross the polygon twice', () => {
    expect(splitPolygon(sq(0, 0), [[X0 + 0.002, Y0 + 0.002], [X0 + 0.004, Y0 + 0.004]])).toBeNull();
    expect(splitPolygon(sq(0, 0), [[X0 - 1, Y0 - 1], [X0 - 0.5, Y0 - 1]])).toBeNull();
  });

  it('splits along a line whose ends were snapped onto the boundary (rounded to 7 decimals) once its ends are drawn on a little', () => {
    // A skewed quadrilateral: edge points rounded to 7 decimals fall a hair inside or outside it.
    const poly: PolygonCoords = [[[118.4123457, 34.5012345], [118.4212121, 34.5032109], [118.4187654, 34.5109876], [118.4101234, 34.5087654], [118.4123457, 34.5012345]]];
    const on = (a: number[], b: number[], t: number) => [round7(a[0] + (b[0] - a[0]) * t), round7(a[1] + (b[1] - a[1]) * t)];
    const r = poly[0];
    let unextendedFailures = 0;
    for (let k = 1; k < 40; k++) {
      const line = [on(r[0], r[1], k / 40), [118.416, 34.506], on(r[2], r[3], 1 - k / 41)];
      if (!splitPolygon(poly, line)) unextendedFailures++;
      const parts = splitPolygon(poly, extendEnds(line));
      expect(parts, `cut ${k}`).not.toBeNull();
      // (the preview rounds the cut points to 7 decimals: a square metre or two over 73 ha)
      expect(Math.abs(areaM2(parts![0]) + areaM2(parts![1]) - areaM2(poly))).toBeLessThan(5);
    }
    // (without drawing the ends on, many of these cuts are refused)
    expect(unextendedFailures).toBeGreaterThan(0);
  });

  it('splits along a line through a vertex of the polygon (one crossing there, not two)', () => {
    const poly = sq(0, 0);
    // from outside, through the bottom-left corner, across to the right edge
    const parts = splitPolygon(poly, extendEnds([[X0, Y0], [X0 + S + 0.002, Y0 + S / 2 + 0.001]]));
    expect(parts).not.toBeNull();
    expect(areaM2(parts![0]) + areaM2(parts![1])).toBeCloseTo(areaM2(poly), 0);
    // a line vertex placed exactly on an edge is one crossing too: this one cuts off a corner
    const corner = splitPolygon(poly, [[X0 - 0.001, Y0 + 0.003], [X0 + 0.004, Y0], [X0 + 0.008, Y0 - 0.001]]);
    expect(corner).not.toBeNull();
    expect(areaM2(corner![1]) / areaM2(poly)).toBeCloseTo((0.004 * 0.0024) / 2 / (S * S), 2);
    const across = splitPolygon(poly, [[X0 - 0.001, Y0 + 0.003], [X0 + 0.004, Y0 + 0.004], [X0 + S, Y0 + 0.006], [X0 + S + 0.002, Y0 + 0.007]]);
    expect(across).not.toBeNull();
  });

  it('draws a line on past its two ends only', () => {
    const line = [[118.5, 34.5], [118.501, 34.5], [118.501, 34.502]];
    const e = extendEnds(line, 1e-6);
    expect(e).toHaveLength(3);
    expect(e[0][0]).toBeCloseTo(118.499999, 7);
    expect(e[0][1]).toBe(34.5);
    expect(e[1]).toEqual(line[1]);
    expect(e[2][1]).toBeCloseTo(34.502001, 7);
  });

  it('merges two adjacent cells into one polygon and refuses non-adjacent ones', () => {
    const c = grid2x2();
    const m = mergePolygons([c.get(1)!, c.get(2)!]);
    expect(m).not.toBeNull();
    expect(areaM2(m!)).toBeCloseTo(areaM2(c.get(1)!) + areaM2(c.get(2)!), 0);
    const far = mergePolygons([sq(0, 0), sq(3, 3)]);
    expect(far).toBeNull();
  });
});

describe('snapping', () => {
  // a projection of 1e5 px per degree (1 px ≈ 1 m)
  const project = (p: number[]): [number, number] => [(p[0] - X0) * 1e5, -(p[1] - Y0) * 1e5];
  it('snaps to the nearest node within tolerance, else to an edge, never to the dragged node', () => {
    const c = grid2x2();
    const near = project([X0 + S + 0.00003, Y0 + 0.00002]);
    expect(findSnap(c, c.keys(), near, project, 10, new Set())).toMatchObject({ kind: 'node', position: [X0 + S, Y0] });
    const onEdge = project([X0 + S + 0.00004, Y0 + S / 2]);
    const s = findSnap(c, c.keys(), onEdge, project, 10, new Set());
    expect(s?.kind).toBe('edge');
    expect(s!.position[0]).toBeCloseTo(X0 + S, 9);
    expect(findSnap(c, c.keys(), project(CENTRE), project, 10, new Set([nodeKey(CENTRE)]))?.kind ?? null).toBe(null);
    expect(findSnap(c, c.keys(), project([X0 + S / 2, Y0 + S / 2]), project, 10, new Set())).toBeNull();
  });
});
