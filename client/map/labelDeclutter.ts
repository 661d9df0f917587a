// Greedy label placement in screen space: labels are taken in order (most important first) and a
// label is kept only if its box does not overlap a kept one. deck.gl's CollisionFilterExtension
// would do this on the GPU but lives in @deck.gl/extensions, which is not a dependency; for a few
// hundred administrative names this costs well under a millisecond per zoom change.
//
// Screen-space distances between labels depend only on the zoom (Web Mercator is linear at a fixed
// zoom), so the result changes on zoom, never on pan: callers recompute on `moveend` and keep the
// previous array when nothing changed (data identity for deck.gl).

export interface LabelGroup<T> {
  items: readonly T[];
  /** Font size, px. */
  fontSize: number;
  text: (item: T) => string;
  position: (item: T) => readonly [number, number] | readonly number[];
}

export type Project = (lonLat: [number, number]) => { x: number; y: number };

/** Approximate rendered width of a label: CJK characters are one em wide, others about 0.6 em. */
export function labelWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 1 : 0.6;
  return em * fontSize;
}

export function declutter<T>(groups: ReadonlyArray<LabelGroup<T>>, project: Project, padding = 6): T[][] {
  const boxes: Array<[number, number, number, number]> = [];
  return groups.map((g) => {
    const kept: T[] = [];
    for (const item of g.items) {
      const [lon, lat] = g.position(item);
      const { x, y } = project([lon, lat]);
      const halfW = labelWidth(g.text(item), g.fontSize) / 2 + padding;
      const halfH = (g.fontSize * 1.25) / 2 + padding / 2;
      const box: [number, number, number, number] = [x - halfW, y - halfH, x + halfW, y + halfH];
      let free = true;
      for (const b of boxes) {
        if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) {
          free = false;
          break;
        }
      }
      if (free) {
        boxes.push(box);
        kept.push(item);
      }
    }
    return kept;
  });
}

/** Same items in the same order (by identity)? */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
