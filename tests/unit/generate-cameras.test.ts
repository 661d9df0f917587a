import { beforeAll, describe, expect, it } from 'vitest';
import { buildLayout, type Layout } from '../../data/generate/layout.js';
import { generateCameras, normHeading, type Camera } from '../../data/generate/cameras.js';

let L: Layout;
let cams: Camera[];
beforeAll(() => { L = buildLayout(20201076); cams = generateCameras(L, 20201076); });

describe('cameras', () => {
  it('are at least 3,000, of all three networks, inside the county', () => {
    expect(cams.length).toBeGreaterThanOrEqual(3000);
    expect(cams.length).toBeLessThan(4500);
    const by = (k: string) => cams.filter((c) => c.kind === k).length;
    expect(by('xueliang')).toBeGreaterThan(800);
    expect(by('cuncuntong')).toBeGreaterThan(600);
    expect(by('public')).toBeGreaterThan(600);
    for (const c of cams) expect(L.outline.contains(c.p)).toBe(true);
  });

  it('have valid, unique 20-digit codes and in-range attributes', () => {
    expect(new Set(cams.map((c) => c.code)).size).toBe(cams.length);
    for (const c of cams) {
      expect(c.code).toMatch(/^320722\d{14}$/);
      expect(c.heading).toBeGreaterThanOrEqual(0);
      expect(c.heading).toBeLessThan(360);
      expect(c.fov).toBeGreaterThan(0);
      expect(c.fov).toBeLessThanOrEqual(360);
      expect(c.rangeM).toBeGreaterThan(0);
      expect(c.installedAt >= '2016-01-01' && c.installedAt <= '2025-12-31').toBe(true);
      if (c.streamUrl) expect(c.streamUrl).toBe(`rtsp://video.donghai.local/${c.kind === 'xueliang' ? 'xl' : c.kind === 'cuncuntong' ? 'cc' : 'pub'}/${c.code}`);
    }
    const online = cams.filter((c) => c.online).length / cams.length;
    expect(online).toBeGreaterThan(0.9);
    expect(online).toBeLessThan(0.96);
    const withStream = cams.filter((c) => c.streamUrl).length / cams.length;
    expect(withStream).toBeGreaterThan(0.4);
    expect(withStream).toBeLessThan(0.6);
  });

  it('names junction cameras after both roads', () => {
    expect(cams.some((c) => /^牛山街道\S+路与\S+(路|大道)交叉口$/.test(c.name))).toBe(true);
    expect(cams.some((c) => /村村部$/.test(c.name))).toBe(true);
  });

  it('normalises headings into [0, 360) for the float4 column', () => {
    expect(normHeading(-0.00001)).toBe(0);
    expect(normHeading(359.99)).toBe(0);
    expect(normHeading(725)).toBe(5);
  });
});
