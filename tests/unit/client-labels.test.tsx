import { describe, expect, it } from 'vitest';
import { declutter, labelWidth, sameItems } from '../../client/map/labelDeclutter.js';
import { shortRegionName } from '../../client/map/layers/regionsLayer.js';

type L = { name: string; at: [number, number] };
const group = (items: L[], fontSize = 10) => ({ items, fontSize, text: (l: L) => l.name, position: (l: L) => l.at });
// 1 degree = 100 px, y down.
const project = ([x, y]: [number, number]) => ({ x: x * 100, y: -y * 100 });

describe('label declutter', () => {
  it('measures CJK characters as one em and others narrower', () => {
    expect(labelWidth('牛山街道', 15)).toBe(60);
    expect(labelWidth('ab', 10)).toBe(12);
  });

  it('keeps the first of overlapping labels and all separate ones', () => {
    const a: L = { name: '牛山街道', at: [0, 0] };
    const b: L = { name: '石榴街道', at: [0.2, 0] }; // 20 px right of a: overlaps
    const c: L = { name: '房山镇', at: [3, 0] };
    const [kept] = declutter([group([a, b, c])], project);
    expect(kept).toEqual([a, c]);
  });

  it('places earlier groups first (townships before villages)', () => {
    const village: L = { name: '牛山社区', at: [0, 0] };
    const township: L = { name: '牛山街道', at: [0.1, 0.05] };
    const [t, v] = declutter([group([township], 15), group([village], 12)], project);
    expect(t).toEqual([township]);
    expect(v).toEqual([]);
  });

  it('compares results by identity', () => {
    const a: L = { name: 'a', at: [0, 0] };
    expect(sameItems([a], [a])).toBe(true);
    expect(sameItems([a], [{ ...a }])).toBe(false);
  });
});

describe('region label text', () => {
  it('leaves the committee out of village names', () => {
    expect(shortRegionName('牛山社区居民委员会')).toBe('牛山社区');
    expect(shortRegionName('柳汪村委会')).toBe('柳汪村');
    expect(shortRegionName('新联村民委员会')).toBe('新联村');
    expect(shortRegionName('牛山街道')).toBe('牛山街道');
    expect(shortRegionName('江苏东海经济开发区')).toBe('江苏东海经济开发区');
  });
});
