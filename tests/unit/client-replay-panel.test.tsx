// @vitest-environment jsdom
// The replay panel with the replay hook, against a mocked API (msw): what it asks the server, what
// it shows, and the playback controls on a clock driven by the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { useState } from 'react';
import { ApiClient } from '../../client/api/client.js';
import { I18nProvider, type Locale } from '../../client/i18n/index.js';
import type { FrameScheduler } from '../../client/replay/clock.js';
import { ReplayPanel } from '../../client/replay/ReplayPanel.js';
import type { GridDetail, LatestPosition, ReplayRange, ReplaySelection, SearchResult, Track } from '../../client/replay/types.js';
import { useReplay } from '../../client/replay/useReplay.js';

const FROM = Date.UTC(2026, 10, 26, 23, 0); // 2026-11-27 07:00 in Donghai
const TO = Date.UTC(2026, 10, 27, 11, 0); // 19:00
const T0 = Date.UTC(2026, 10, 27, 0, 0) / 1000; // 08:00
const iso = (s: number) => new Date(s * 1000).toISOString();

const trackOf = (workerId: number, name: string, distanceM: number, stops: Track['stops'] = []): Track => ({
  workerId,
  name,
  gridId: 205,
  path: [
    [118.76, 34.46, T0],
    [118.761, 34.46, T0 + 600],
    [118.761, 34.46, T0 + 1200],
    [118.762, 34.461, T0 + 1800],
  ],
  points: 180,
  distanceM,
  stops,
});
const TRACKS: Record<number, Track> = {
  758: trackOf(758, '孙斌华', 2345.6, [
    { lon: 118.761, lat: 34.46, from: iso(T0 + 600), to: iso(T0 + 1200), minutes: 10 },
    { lon: 118.762, lat: 34.461, from: iso(T0 + 1500), to: iso(T0 + 5400), minutes: 65 },
  ]),
  759: trackOf(759, '沈超', 812),
  760: trackOf(760, '闫永红', 15321),
};

const GRID: GridDetail = {
  id: 205,
  code: '320722001201-01',
  name: '英疃村第1网格',
  kind: 'rural',
  version: 1,
  areaKm2: 1.2,
  township: { code: '320722001', name: '牛山街道' },
  village: { code: '320722001201', name: '英疃村委会' },
  workers: [
    { id: 758, name: '孙斌华', role: 'grid_leader', state: 'patrolling', lastSeen: null },
    { id: 759, name: '沈超', role: 'part_time', state: null, lastSeen: null },
    { id: 760, name: '闫永红', role: 'part_time', state: null, lastSeen: null },
  ],
  incidentsToday: { total: 0, open: 0, overdue: 0 },
  recentIncidents: [],
  patrolToday: { visited: true, workers: 1, firstVisit: null, lastVisit: null },
  bbox: [118.75, 34.45, 118.77, 34.47],
};

const SEARCH: SearchResult[] = [
  { kind: 'township', id: 2, code: '320722001', name: '牛山街道', context: '东海县', bbox: [118.7, 34.4, 118.8, 34.5] },
  { kind: 'village', id: 40, code: '320722001201', name: '英疃村委会', context: '牛山街道', bbox: [118.74, 34.44, 118.78, 34.48] },
  { kind: 'grid', id: 205, code: '320722001201-01', name: '英疃村第1网格', context: '牛山街道 · 英疃村委会', bbox: [118.75, 34.45, 118.77, 34.47] },
];

const latest = (workerId: number, name: string): LatestPosition => ({
  workerId,
  name,
  role: 'full_time',
  assignedGridId: 205,
  gridId: 205,
  lon: 118.76,
  lat: 34.46,
  time: iso(T0),
  speed: 1,
  heading: 0,
  battery: 80,
  state: 'patrolling',
  stateSince: iso(T0),
});

const requests: URL[] = [];
const byPath = (path: string) => requests.filter((u) => u.pathname === path);

const server = setupServer(
  http.get('*/api/tracks', ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    let ids: number[] = [];
    if (url.searchParams.get('worker')) ids = url.searchParams.get('worker')!.split(',').map(Number);
    if (url.searchParams.get('grid') === '205' || url.searchParams.get('village') === '320722001201') ids = [758, 759, 760];
    return HttpResponse.json(ids.map((id) => TRACKS[id]).filter(Boolean));
  }),
  http.get('*/api/incidents', ({ request }) => {
    requests.push(new URL(request.url));
    return HttpResponse.json({
      type: 'FeatureCollection',
      numberMatched: 1,
      truncated: false,
      features: [
        {
          type: 'Feature',
          id: 9,
          geometry: { type: 'Point', coordinates: [118.7605, 34.4601] },
          properties: { id: 9, code: 'SJ-9', category: '环境卫生', source: 'grid_worker', status: 'closed', priority: 2, reportedAt: iso(T0 + 900), overdue: false },
        },
      ],
    });
  }),
  http.get('*/api/search', ({ request }) => {
    requests.push(new URL(request.url));
    return HttpResponse.json(SEARCH);
  }),
  http.get('*/api/grids/:id', ({ request, params }) => {
    requests.push(new URL(request.url));
    return params.id === '205' ? HttpResponse.json(GRID) : HttpResponse.json({ message: 'not found' }, { status: 404 });
  }),
  http.get('*/api/positions/latest', ({ request }) => {
    requests.push(new URL(request.url));
    return HttpResponse.json([latest(758, '孙斌华'), latest(759, '沈超'), latest(1001, '孙丽')]);
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  requests.length = 0;
  server.resetHandlers();
});
afterAll(() => server.close());

/** Frames driven by the test (the clock's requestAnimationFrame stand-in). */
function fakeFrames() {
  let now = 0;
  let next = 1;
  const queue = new Map<number, (now: number) => void>();
  const scheduler: FrameScheduler = {
    now: () => now,
    request: (cb) => {
      queue.set(next, cb);
      return next++;
    },
    cancel: (h) => void queue.delete(h),
  };
  return {
    scheduler,
    frame(ms: number) {
      now += ms;
      const cbs = [...queue.values()];
      queue.clear();
      act(() => cbs.forEach((cb) => cb(now)));
    },
  };
}

interface HarnessProps {
  selection: ReplaySelection | null;
  range?: ReplayRange;
  scheduler?: FrameScheduler;
  follows?: Array<number | null>;
}

function Harness({ selection: initialSelection, range: initialRange = { from: FROM, to: TO }, scheduler, follows }: HarnessProps) {
  const [api] = useState(() => new ApiClient());
  const [selection, setSelection] = useState(initialSelection);
  const [range, setRange] = useState(initialRange);
  const [followed, setFollowed] = useState<number | null>(null);
  const replay = useReplay({ selection, range, api, scheduler });
  return (
    <ReplayPanel
      api={api}
      timeZone="Asia/Shanghai"
      selection={selection}
      onSelectionChange={setSelection}
      range={range}
      onRangeChange={setRange}
      replay={replay}
      followed={followed}
      onFollow={(id) => {
        follows?.push(id);
        setFollowed(id);
      }}
      gridsById={new Map()}
    />
  );
}

function renderPanel(props: HarnessProps, locale: Locale = 'zh-CN') {
  return render(
    <I18nProvider locale={locale}>
      <Harness {...props} />
    </I18nProvider>,
  );
}

const rows = () => screen.queryAllByTestId('replay-worker');
const row = (id: number) => rows().find((r) => r.dataset.workerId === String(id))!;
const field = (el: HTMLElement, name: string) => el.querySelector<HTMLElement>(`[data-field="${name}"]`)!;

describe('ReplayPanel + useReplay', () => {
  it('asks for the chosen workers in the range, then lists their distance and stops', async () => {
    renderPanel({ selection: { kind: 'workers', workers: [{ id: 758, name: '孙斌华' }, { id: 759, name: '' }, { id: 4, name: '' }] } });
    expect(screen.getByText('正在加载轨迹…')).toBeTruthy();
    await waitFor(() => expect(rows()).toHaveLength(2));

    const [tracksUrl] = byPath('/api/tracks');
    expect(Object.fromEntries(tracksUrl.searchParams)).toEqual({
      worker: '758,759,4',
      from: '2026-11-26T23:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      zoom: '16',
    });

    const a = row(758);
    expect(a.textContent).toContain('孙斌华');
    expect(field(a, 'distance').textContent).toBe('0.00 / 2.35 公里');
    expect(field(a, 'distance').dataset.distanceM).toBe('2345.6');
    expect(field(a, 'stops').textContent).toBe('2 次 · 1小时15分');
    expect(field(a, 'state').textContent).toBe('未出发'); // the clock starts a minute before 08:00
    expect(field(row(759), 'stops').textContent).toBe('无停留');
    // Worker 4 has no positions in the range.
    expect(screen.getByTestId('replay-worker-missing').textContent).toContain('该时段无定位');
    // Totals over the two tracks.
    expect(screen.getByTestId('replay-totals').textContent).toContain('3.16 公里');
    // Names from the tracks fill the chips of workers chosen by id only.
    expect(within(screen.getByTestId('replay-selection')).getByText('沈超')).toBeTruthy();

    // The incidents of the window around the tracks.
    await waitFor(() => expect(byPath('/api/incidents')).toHaveLength(1));
    const inc = Object.fromEntries(byPath('/api/incidents')[0].searchParams);
    expect(inc).toEqual({
      from: '2026-11-26T23:00:00.000Z',
      to: '2026-11-27T11:00:00.000Z',
      bbox: '118.757000,34.457000,118.765000,34.464000',
      limit: '3000',
    });
    await waitFor(() => expect(screen.getByTestId('replay-incident-count').dataset.total).toBe('1'));
  });

  it('search: workers by name, grids and villages; a grid replays all its workers, its checklist narrows them', async () => {
    renderPanel({ selection: null });
    expect(screen.getByText(/搜索并选择网格员、网格或村（社区）/)).toBeTruthy();
    expect(byPath('/api/tracks')).toHaveLength(0);

    fireEvent.change(screen.getByTestId('replay-search'), { target: { value: '孙' } });
    const results = await screen.findByTestId('replay-results');
    await waitFor(() => expect(within(results).getAllByRole('option').length).toBeGreaterThan(0));
    expect(byPath('/api/search')[0].searchParams.get('q')).toBe('孙');
    expect(byPath('/api/positions/latest')).toHaveLength(1);
    const options = within(results).getAllByRole('option');
    // Two workers whose names contain 孙, the grid and the village; townships cannot be replayed.
    expect(options.map((o) => `${o.dataset.kind}:${o.dataset.id}`)).toEqual(['worker:758', 'worker:1001', 'grid:205', 'village:40']);
    expect(within(results).getByText('英疃村')).toBeTruthy(); // 英疃村委会, shortened

    fireEvent.click(options.find((o) => o.dataset.kind === 'grid')!);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(Object.fromEntries(byPath('/api/tracks')[0].searchParams)).toMatchObject({ grid: '205', zoom: '16' });
    expect(byPath('/api/grids/205')).toHaveLength(1);

    // The grid's workers, all ticked; unticking one replays the other two by id.
    const boxes = await screen.findAllByRole('checkbox');
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([true, true, true]);
    fireEvent.click(boxes[1]);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(byPath('/api/tracks').at(-1)!.searchParams.get('worker')).toBe('758,760');
    expect((screen.getAllByRole('checkbox')[1] as HTMLInputElement).checked).toBe(false);
    // Ticking it again is the whole grid again.
    fireEvent.click(screen.getAllByRole('checkbox')[1]);
    await waitFor(() => expect(byPath('/api/tracks').at(-1)!.searchParams.get('grid')).toBe('205'));
  });

  it('a village from the search replays the village', async () => {
    renderPanel({ selection: null });
    fireEvent.change(screen.getByTestId('replay-search'), { target: { value: '英疃' } });
    const results = await screen.findByTestId('replay-results');
    const village = await waitFor(() => within(results).getAllByRole('option').find((o) => o.dataset.kind === 'village')!);
    fireEvent.click(village);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(Object.fromEntries(byPath('/api/tracks')[0].searchParams)).toMatchObject({ village: '320722001201', zoom: '15' });
    expect(screen.getByTestId('replay-selection').textContent).toContain('英疃村');
  });

  it('changing the date and times asks again with the new range', async () => {
    renderPanel({ selection: { kind: 'workers', workers: [{ id: 758, name: '孙斌华' }] } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect((screen.getByTestId('replay-date') as HTMLInputElement).value).toBe('2026-11-27');
    expect((screen.getByTestId('replay-from') as HTMLInputElement).value).toBe('07:00');
    expect((screen.getByTestId('replay-to') as HTMLInputElement).value).toBe('19:00');

    fireEvent.change(screen.getByTestId('replay-from'), { target: { value: '08:30' } });
    await waitFor(() => expect(byPath('/api/tracks')).toHaveLength(2));
    expect(byPath('/api/tracks')[1].searchParams.get('from')).toBe('2026-11-27T00:30:00.000Z');

    fireEvent.change(screen.getByTestId('replay-date'), { target: { value: '2026-11-25' } });
    await waitFor(() => expect(byPath('/api/tracks')).toHaveLength(3));
    expect(Object.fromEntries(byPath('/api/tracks')[2].searchParams)).toMatchObject({
      from: '2026-11-25T00:30:00.000Z',
      to: '2026-11-25T11:00:00.000Z',
    });

    // 全天: 00:00 to the next midnight.
    fireEvent.click(screen.getByRole('button', { name: '全天' }));
    await waitFor(() => expect(byPath('/api/tracks')).toHaveLength(4));
    expect(Object.fromEntries(byPath('/api/tracks')[3].searchParams)).toMatchObject({
      from: '2026-11-24T16:00:00.000Z',
      to: '2026-11-25T16:00:00.000Z',
    });
  });

  it('plays, pauses, changes speed and seeks; clicking a worker follows it', async () => {
    const frames = fakeFrames();
    const follows: Array<number | null> = [];
    renderPanel({ selection: { kind: 'workers', workers: [{ id: 758, name: '' }, { id: 759, name: '' }] }, scheduler: frames.scheduler, follows });
    await waitFor(() => expect(rows()).toHaveLength(2));
    const time = () => screen.getByTestId('replay-time');
    expect(time().textContent).toContain('07:59:00'); // a minute before the first position
    expect(screen.getByRole('radio', { name: '×60' }).getAttribute('aria-checked')).toBe('true');

    fireEvent.click(screen.getByTestId('replay-play'));
    frames.frame(1000); // 1 s at ×60
    expect(time().textContent).toContain('08:00:00');
    fireEvent.click(screen.getByRole('radio', { name: '×10' }));
    expect(screen.getByRole('radio', { name: '×10' }).getAttribute('aria-checked')).toBe('true');
    frames.frame(6000); // 6 s at ×10
    expect(time().textContent).toContain('08:01:00');
    expect(screen.getByTestId('replay-play').getAttribute('aria-label')).toBe('暂停（空格）');
    fireEvent.click(screen.getByTestId('replay-play'));
    frames.frame(6000);
    expect(time().textContent).toContain('08:01:00');

    // The slider seeks; the list follows (state, distance so far).
    fireEvent.change(screen.getByTestId('replay-slider'), { target: { value: String((T0 + 900) * 1000) } });
    expect(time().textContent).toContain('08:15:00');
    await waitFor(() => expect(field(row(758), 'state').textContent).toBe('停留'));
    expect(field(row(759), 'state').textContent).toBe('巡查中');
    expect(Number(field(row(759), 'travelled').dataset.travelledM)).toBeGreaterThan(0);
    expect(screen.getByTestId('replay-incident-count').dataset.shown).toBe('1');

    fireEvent.click(within(row(759)).getByRole('button'));
    expect(follows).toEqual([759]);
    expect(within(row(759)).getByRole('button').getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(within(row(759)).getByRole('button'));
    expect(follows).toEqual([759, null]);
  });

  it('shows the server error with a retry', async () => {
    server.use(http.get('*/api/tracks', () => HttpResponse.json({ message: 'time range longer than 7 days' }, { status: 400 })));
    renderPanel({ selection: { kind: 'workers', workers: [{ id: 758, name: '' }] } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('轨迹加载失败');
    expect(alert.textContent).toContain('time range longer than 7 days');
    server.resetHandlers();
    fireEvent.click(within(alert).getByRole('button', { name: '重试' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it('speaks English when the locale is en', async () => {
    renderPanel({ selection: { kind: 'workers', workers: [{ id: 758, name: '' }] } }, 'en');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(field(row(758), 'distance').textContent).toBe('0.00 / 2.35 km');
    expect(field(row(758), 'stops').textContent).toBe('2 · 1 h 15 min');
    expect(screen.getByText('Time range')).toBeTruthy();
    expect(screen.getByTestId('replay-play').getAttribute('aria-label')).toBe('Play (space)');
  });
});
