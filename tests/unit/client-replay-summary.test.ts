import { describe, expect, it } from 'vitest';
import { prepareTrack } from '../../client/replay/interpolate.js';
import { replayTranslate, replayEn, replayZhCN, type ReplayMessageKey } from '../../client/replay/strings.js';
import {
  activitySpans,
  formatDuration,
  formatKm,
  shortAreaName,
  shortContext,
  summarizeAll,
  summarizeTrack,
} from '../../client/replay/summary.js';
import { addDays, defaultRange, rangeOf, zonedDate, zonedTime, zonedToEpoch } from '../../client/replay/time.js';
import { parseReplayQuery, replayHref, replayQuery } from '../../client/replay/url.js';
import { incidentsQuery, toReplayIncidents, tracksQuery } from '../../client/replay/api.js';
import type { IncidentPointCollection, Track } from '../../client/replay/types.js';

const T0 = Date.UTC(2026, 10, 27, 0, 0, 0) / 1000; // 08:00 Asia/Shanghai
const iso = (s: number) => new Date(s * 1000).toISOString();

const track: Track = {
  workerId: 7,
  name: '王芳',
  gridId: 3,
  path: [
    [118.76, 34.46, T0],
    [118.761, 34.461, T0 + 600],
    [118.761, 34.461, T0 + 1200],
    [118.77, 34.465, T0 + 4800], // an hour without positions: a gap
    [118.771, 34.465, T0 + 5400],
  ],
  points: 300,
  distanceM: 3456.7,
  stops: [
    { lon: 118.761, lat: 34.461, from: iso(T0 + 600), to: iso(T0 + 1200), minutes: 10 },
    { lon: 118.771, lat: 34.465, from: iso(T0 + 5000), to: iso(T0 + 8900), minutes: 65 },
  ],
};
const tZh = (key: ReplayMessageKey, p?: Record<string, string | number>) => replayTranslate('zh-CN', key, p);
const tEn = (key: ReplayMessageKey, p?: Record<string, string | number>) => replayTranslate('en', key, p);

describe('distance and stops summary', () => {
  const prepared = prepareTrack(track, { index: 0, origin: T0 * 1000 });

  it('per worker: server distance, stop count and minutes, longest stop, minutes without signal', () => {
    expect(summarizeTrack(prepared)).toEqual({
      workerId: 7,
      distanceKm: expect.closeTo(3.4567, 9),
      stopCount: 2,
      stopMinutes: 75,
      longestStopMinutes: 65,
      gapMinutes: 60,
      startMs: T0 * 1000,
      endMs: (T0 + 5400) * 1000,
    });
  });

  it('totals over all workers', () => {
    const other = prepareTrack({ ...track, workerId: 8, distanceM: 1000, stops: [] }, { index: 1, origin: T0 * 1000 });
    expect(summarizeAll([prepared, other])).toEqual({ workers: 2, distanceKm: expect.closeTo(4.4567, 9), stopCount: 2, stopMinutes: 75 });
    expect(summarizeAll([])).toEqual({ workers: 0, distanceKm: 0, stopCount: 0, stopMinutes: 0 });
  });

  it('formats km with the precision a dispatcher reads, and durations in both languages', () => {
    expect(formatKm(3.4567, 'zh-CN')).toBe('3.46');
    expect(formatKm(0, 'zh-CN')).toBe('0.00');
    expect(formatKm(73.04, 'en')).toBe('73.0');
    expect(formatKm(1234.5, 'en')).toBe('1,234.5');
    expect(formatDuration(75, tZh)).toBe('1小时15分');
    expect(formatDuration(45, tZh)).toBe('45分钟');
    expect(formatDuration(75, tEn)).toBe('1 h 15 min');
    expect(formatDuration(4.6, tEn)).toBe('5 min');
  });

  it('activity strip: on the move between first and last position, stops and gaps over it', () => {
    const from = T0 * 1000;
    const to = (T0 + 7200) * 1000; // the second stop runs past the end: clipped
    const spans = activitySpans(prepared, from, to);
    expect(spans).toEqual([
      { kind: 'move', start: 0, end: 0.75 },
      { kind: 'gap', start: 1200 / 7200, end: 4800 / 7200 },
      { kind: 'stop', start: 600 / 7200, end: 1200 / 7200 },
      { kind: 'stop', start: 5000 / 7200, end: 1 },
    ]);
    expect(activitySpans(prepared, to, from)).toEqual([]);
  });

  it('shortens the official village names', () => {
    expect(shortAreaName('牛山社区居民委员会')).toBe('牛山社区');
    expect(shortAreaName('英疃村委会')).toBe('英疃村');
    expect(shortAreaName('柳汪村民委员会')).toBe('柳汪村');
    expect(shortAreaName('英疃村第1网格')).toBe('英疃村第1网格');
    expect(shortContext('牛山街道 · 英疃村委会')).toBe('牛山街道 · 英疃村');
  });
});

describe('strings', () => {
  it('has every Chinese key in English, with the same placeholders', () => {
    for (const key of Object.keys(replayZhCN) as ReplayMessageKey[]) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(replayEn[key], key).toBeTypeOf('string');
      expect(ph(replayEn[key]), key).toEqual(ph(replayZhCN[key]));
    }
  });
});

describe('local time (Asia/Shanghai) whatever the browser zone', () => {
  it('converts local date and time to instants and back', () => {
    expect(new Date(zonedToEpoch('2026-11-27', '07:00')).toISOString()).toBe('2026-11-26T23:00:00.000Z');
    expect(new Date(zonedToEpoch('2026-11-27', '24:00')).toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(zonedToEpoch('2026-11-27', '7:00')).toBeNaN();
    expect(zonedToEpoch('2026/11/27', '07:00')).toBeNaN();
    expect(zonedToEpoch('2026-11-27', '25:00')).toBeNaN();
    expect(zonedDate(Date.UTC(2026, 10, 26, 16, 0))).toBe('2026-11-27');
    expect(zonedTime(Date.UTC(2026, 10, 26, 23, 5, 9), undefined, true)).toBe('07:05:09');
    // Another zone, with daylight saving time.
    expect(new Date(zonedToEpoch('2026-07-01', '12:00', 'Europe/Berlin')).toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('default range: today 07:00–19:00 local; overnight and whole-day ranges', () => {
    // 2026-11-27 21:44 in Donghai.
    const now = Date.UTC(2026, 10, 27, 13, 44);
    expect(defaultRange(now)).toEqual({ from: Date.UTC(2026, 10, 26, 23, 0), to: Date.UTC(2026, 10, 27, 11, 0) });
    // 00:30 in Donghai is already the next local day.
    expect(defaultRange(Date.UTC(2026, 10, 27, 16, 30)).from).toBe(Date.UTC(2026, 10, 27, 23, 0));
    expect(rangeOf('2026-11-27', '15:30', '00:30')).toEqual({ from: Date.UTC(2026, 10, 27, 7, 30), to: Date.UTC(2026, 10, 27, 16, 30) });
    expect(rangeOf('2026-11-27', '00:00', '00:00')).toEqual({ from: Date.UTC(2026, 10, 26, 16, 0), to: Date.UTC(2026, 10, 27, 16, 0) });
    expect(rangeOf('2026-11-27', '', '19:00')).toBeNull();
  });
});

describe('address and queries', () => {
  const range = { from: Date.UTC(2026, 10, 26, 23, 0), to: Date.UTC(2026, 10, 27, 11, 0) };

  it('reads and writes the replay state in the query string', () => {
    const q = replayQuery({ selection: { kind: 'workers', workers: [{ id: 12, name: 'a' }, { id: 15, name: 'b' }] }, range, follow: 15 });
    expect(q).toBe('?worker=12%2C15&from=2026-11-26T23%3A00%3A00.000Z&to=2026-11-27T11%3A00%3A00.000Z&follow=15');
    const back = parseReplayQuery(q);
    expect(back.range).toEqual(range);
    expect(back.follow).toBe(15);
    expect(back.selection).toEqual({ kind: 'workers', workers: [{ id: 12, name: '' }, { id: 15, name: '' }] });
    expect(parseReplayQuery('?grid=205').selection).toEqual({ kind: 'grid', grid: { id: 205, code: '', name: '' } });
    expect(parseReplayQuery('?village=320722001201').selection).toMatchObject({ kind: 'village', village: { code: '320722001201' } });
    expect(parseReplayQuery('?village=32072').selection).toBeNull();
    expect(parseReplayQuery('?worker=x,-1,0').selection).toBeNull();
    // Bad or too long ranges fall back to today 07:00–19:00.
    const now = Date.UTC(2026, 10, 27, 13, 44);
    expect(parseReplayQuery('?from=2026-11-01T00:00:00Z&to=2026-11-20T00:00:00Z', undefined, now).range).toEqual(range);
    expect(parseReplayQuery('?from=nope', undefined, now).range).toEqual(range);
    // Links from elsewhere in the app.
    expect(replayHref({ grid: 205, range })).toBe('/replay?grid=205&from=2026-11-26T23%3A00%3A00.000Z&to=2026-11-27T11%3A00%3A00.000Z');
    expect(parseReplayQuery(replayHref({ workers: [12], follow: 12, range }).slice('/replay'.length))).toEqual({
      selection: { kind: 'workers', workers: [{ id: 12, name: '' }] },
      range,
      follow: 12,
    });
  });

  it('asks /api/tracks for workers, a grid or a village with the range and a zoom', () => {
    expect(tracksQuery({ kind: 'workers', workers: [{ id: 1, name: '' }, { id: 2, name: '' }] }, range)).toEqual({
      worker: '1,2',
      from: '2026-11-26T23:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      zoom: '16',
    });
    expect(tracksQuery({ kind: 'grid', grid: { id: 205, code: '', name: '' } }, range)).toMatchObject({ grid: '205', zoom: '16' });
    expect(tracksQuery({ kind: 'village', village: { id: 0, code: '320722001201', name: '' } }, range)).toMatchObject({
      village: '320722001201',
      zoom: '15',
    });
    const many = Array.from({ length: 250 }, (_, i) => ({ id: i + 1, name: '' }));
    expect(tracksQuery({ kind: 'workers', workers: many }, range).worker.split(',')).toHaveLength(200);
  });

  it('asks /api/incidents for the window around the tracks, and orders them oldest first', () => {
    expect(incidentsQuery(range, [118.7, 34.4, 118.8, 34.5])).toEqual({
      from: '2026-11-26T23:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      bbox: '118.697000,34.397000,118.803000,34.503000',
      limit: '3000',
    });
    const fc = {
      type: 'FeatureCollection',
      numberMatched: 5,
      truncated: true,
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [118.76, 34.46] }, properties: { id: 2, code: 'B', category: '占道经营', source: 'hotline', status: 'closed', priority: 2, reportedAt: '2026-11-27T03:00:00Z', overdue: false } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [118.77, 34.47] }, properties: { id: 1, code: 'A', category: '环境卫生', source: 'grid_worker', status: 'reported', priority: 1, reportedAt: '2026-11-27T01:00:00Z', overdue: true } },
      ],
    } as unknown as IncidentPointCollection;
    const { incidents, total, truncated } = toReplayIncidents(fc);
    expect(incidents.map((i) => i.code)).toEqual(['A', 'B']);
    expect(incidents[0]).toEqual({ id: 1, code: 'A', category: '环境卫生', source: 'grid_worker', status: 'reported', priority: 1, lon: 118.77, lat: 34.47, at: Date.parse('2026-11-27T01:00:00Z') });
    expect([total, truncated]).toEqual([5, true]);
  });
});
