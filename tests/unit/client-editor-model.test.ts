// The loaded coverage + unsaved edits (client/editor/coverageModel.ts).
import { describe, expect, it } from 'vitest';
import type { CoverageFeature } from '../../client/editor/api.js';
import { applyChanged, buildBase, gridAt, staleEdits, workingCoverage, NO_EDITS } from '../../client/editor/coverageModel.js';
import { isEditError, moveNode } from '../../client/editor/topology.js';

const sq = (id: number, i: number, version = 1): CoverageFeature => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [[[i, 0], [i + 1, 0], [i + 1, 1], [i, 1], [i, 0]]] },
  properties: { id, code: `320722001001-0${id}`, name: `第${id}网格`, village_code: '320722001001', kind: 'rural', version },
});

describe('coverage model', () => {
  it('reuses unchanged features on reload and reports what changed', () => {
    const { base } = buildBase([sq(1, 0), sq(2, 1)], null);
    const { base: next, changed } = buildBase([sq(1, 0), sq(2, 1, 2), sq(3, 2)], base);
    expect(changed.sort()).toEqual([2, 3]);
    expect(next.features.get(1)).toBe(base.features.get(1));
    expect(next.seq).toBe(2);
    const { changed: gone } = buildBase([sq(1, 0)], next);
    expect(gone.sort()).toEqual([2, 3]);
  });

  it('keeps only grids that differ from the base as edits, with the version they were edited from', () => {
    const { base } = buildBase([sq(1, 0), sq(2, 1)], null);
    const r = moveNode(base.coverage, [1, 1], [1.2, 1.1]);
    if (isEditError(r)) throw new Error(r.error);
    const edits = applyChanged(base, NO_EDITS, r.coverage, r.changed);
    expect([...edits.keys()].sort()).toEqual([1, 2]);
    expect(edits.get(1)!.baseVersion).toBe(1);
    expect(workingCoverage(base, edits).get(2)).toBe(edits.get(2)!.geometry);
    // moving back: no edits left
    const back = moveNode(workingCoverage(base, edits), [1.2, 1.1], [1, 1]);
    if (isEditError(back)) throw new Error(back.error);
    expect(applyChanged(base, edits, back.coverage, back.changed).size).toBe(0);
    // someone else saved grid 2: that edit is stale
    const { base: newer } = buildBase([sq(1, 0), sq(2, 1, 2)], base);
    expect(staleEdits(newer, edits)).toEqual([2]);
  });

  it('finds the grid under a point', () => {
    const { base } = buildBase([sq(1, 0), sq(2, 1)], null);
    expect(gridAt(base, NO_EDITS, [0.5, 0.5])).toBe(1);
    expect(gridAt(base, NO_EDITS, [1.5, 0.5])).toBe(2);
    expect(gridAt(base, NO_EDITS, [5, 5])).toBeNull();
  });
});
