// The wall screen in headless Chromium (SwiftShader WebGL: absolute times are those of software
// rendering on this machine; the ratios are what to compare):
//
// 1. First view of /screen with all layers: bytes transferred (CDP Network events'
//    encodedDataLength: compressed, headers included; the live socket's frames counted apart), the
//    largest request, and the time until every layer has drawn — beside the same for the bare base
//    map (/screen?layers=), each a fresh browser profile (nothing cached).
// 2. Live positions of 2,911 workers: deck.gl's layer update after only the positions changed,
//    beside the same after every layer got new data (testHook.measureLayerUpdates): time, layers
//    updated, attribute managers that recomputed.
//
//   npx tsx tests/bench/screen.ts http://127.0.0.1:3000 [runs]
// or from the bench runner: `await benchScreen(baseUrl)`.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import { openBrowser } from '../e2e/browser.js';
import { kb, median, ms, table } from './stats.js';

const WORKERS = 2911;
const BUDGET_TOTAL = 2 * 1024 * 1024;
const BUDGET_REQUEST = 1024 * 1024;

interface FirstView {
  /** performance.now() when every layer had drawn (the page's test hook `ready`). */
  readyMs: number;
  /** When the map was idle for the first time. */
  mapIdleMs: number;
  /** Per layer group, first frame with its data. */
  groups: Record<string, number>;
  requests: number;
  bytes: number;
  largest: { url: string; bytes: number };
  socketBytes: number;
  byType: Record<string, number>;
}

/** Bytes of a response as sent with `Accept-Encoding: gzip, deflate, br` (body + headers). */
function compressedSize(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      let n = 0;
      const headerBytes = Object.entries(res.headers).reduce((s, [k, v]) => s + k.length + String(v).length + 4, 20);
      res.on('data', (c: Buffer) => {
        n += c.length;
      });
      res.on('end', () => resolve(n + headerBytes));
    }).on('error', reject);
  });
}

async function firstView(baseUrl: string, path: string): Promise<FirstView> {
  const session = await openBrowser({ width: 1920, height: 1080 });
  try {
    const { page, context } = session;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const urls = new Map<string, { url: string; type: string }>();
    const sizes = new Map<string, number>();
    let socketBytes = 0;
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other' }));
    cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
    cdp.on('Network.webSocketFrameReceived', (e) => {
      socketBytes += e.response.payloadData.length;
    });
    // A dedicated worker's own request (MapLibre's worker script) is not on the page's CDP
    // session. Playwright sees it; its size on the wire is measured by asking the server for the
    // same URL with the browser's Accept-Encoding.
    const workerUrls = new Set<string>();
    page.on('request', (req) => {
      if (/worker/i.test(new URL(req.url()).pathname)) workerUrls.add(req.url());
    });
    await page.goto(`${baseUrl}${path}`);
    await page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 300_000, polling: 250 });
    // Requests still in flight (e.g. the base map's roads) finish before counting.
    await page.waitForLoadState('networkidle').catch(() => {});
    const hook = await page.evaluate(() => ({ timings: window.__gridcc!.timings, groups: window.__gridcc!.groups().enabled }));
    if (session.errors.length) throw new Error(`${path}: page errors: ${session.errors.join(' | ')}`);
    let bytes = 0;
    let largest = { url: '', bytes: 0 };
    const byType: Record<string, number> = {};
    const seen = new Set<string>();
    const count = (url: string, type: string, size: number) => {
      bytes += size;
      byType[type] = (byType[type] ?? 0) + size;
      if (size > largest.bytes) largest = { url: new URL(url).pathname + new URL(url).search, bytes: size };
    };
    for (const [id, size] of sizes) {
      const req = urls.get(id);
      if (!req || req.url.startsWith('data:')) continue;
      seen.add(req.url);
      count(req.url, req.type, size);
    }
    for (const url of workerUrls) if (!seen.has(url)) count(url, 'Worker script', await compressedSize(url));
    const t = hook.timings;
    return {
      readyMs: t.ready,
      mapIdleMs: t.mapIdle,
      groups: Object.fromEntries(hook.groups.map((g) => [g, t[g]])),
      requests: sizes.size,
      bytes,
      largest,
      socketBytes,
      byType,
    };
  } finally {
    await session.close();
  }
}

export async function benchScreen(baseUrl: string, runs = 3): Promise<void> {
  const base = baseUrl.replace(/\/$/, '');
  const full: FirstView[] = [];
  const bare: FirstView[] = [];
  // Alternate, so that both see the same machine load.
  for (let i = 0; i < runs; i++) {
    bare.push(await firstView(base, '/screen?layers='));
    full.push(await firstView(base, '/screen'));
  }
  const f = full[full.length - 1];
  const row = (page: string, v: FirstView) => ({
    page,
    requests: v.requests,
    'HTTP': kb(v.bytes),
    'live socket (snapshot)': kb(v.socketBytes),
    total: kb(v.bytes + v.socketBytes),
    'largest request': `${kb(v.largest.bytes)} ${v.largest.url}`,
    'budget ≤ 2 MB, none > 1 MB': v.bytes + v.socketBytes <= BUDGET_TOTAL && v.largest.bytes <= BUDGET_REQUEST ? 'met' : 'EXCEEDED',
  });
  table('First view at 1920×1080, fresh profile: bytes on the wire (compressed, headers included, as the browser received them)', [
    row('/screen (all layers)', f),
    row('/screen?layers= (bare base map)', bare[bare.length - 1]),
  ]);
  table('Bytes of /screen by resource type', Object.entries(f.byType).map(([type, b]) => ({ type, bytes: kb(b) })));
  const readyFull = median(full.map((v) => v.readyMs));
  const readyBare = median(bare.map((v) => v.readyMs));
  table(`Time from navigation until drawn, median of ${runs} (software WebGL)`, [
    { page: '/screen?layers= (base map idle)', 'ready': ms(readyBare), 'ratio to bare': '1.00' },
    { page: '/screen (every layer drawn, map idle)', 'ready': ms(readyFull), 'ratio to bare': (readyFull / readyBare).toFixed(2) },
    ...Object.keys(f.groups)
      .filter((g) => full.every((v) => v.groups[g] !== undefined))
      .map((g) => ({ page: `  layer group "${g}" first drawn`, ready: ms(median(full.map((v) => v.groups[g]))), 'ratio to bare': (median(full.map((v) => v.groups[g])) / readyBare).toFixed(2) })),
  ]);

  // Layer updates with 2,911 workers moving.
  const session = await openBrowser({ width: 1920, height: 1080 });
  try {
    const { page } = session;
    await page.goto(`${base}/screen`);
    await page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 300_000, polling: 250 });
    // The seeded database may have few live workers (simulator off): fill up to 2,911 with
    // positions at grid interiors, as the socket would deliver them.
    await page.evaluate(async (n) => {
      const hook = window.__gridcc!;
      const have = new Set(hook.workers().map((t) => t[0]));
      const grids = (hook.layerData('grids') ?? []) as Array<{ properties: { id: number }; geometry: { coordinates: number[][][] } }>;
      const add: Parameters<typeof hook.injectPositions>[0] = [];
      for (let id = 1; have.size + add.length < n; id++) {
        if (have.has(id)) continue;
        const g = grids[id % grids.length];
        const ring = g.geometry.coordinates[0];
        const [x, y] = ring.reduce((a, p) => [a[0] + p[0] / ring.length, a[1] + p[1] / ring.length], [0, 0]);
        add.push([id, x, y, Date.now(), id % 4, 1, 0, g.properties.id, g.properties.id]);
      }
      if (add.length) await hook.injectPositions(add);
    }, WORKERS);
    const m = await page.evaluate(() => window.__gridcc!.measureLayerUpdates(15));
    table(`Layer update with ${m.workers} workers moving, ${m.layers} deck.gl layers on the map (median of 15)`, [
      { change: 'positions only (a live tick)', 'layer update': ms(m.positionsOnly.updateMs), 'deck.gl layers updated': m.positionsOnly.layerUpdates, 'attribute managers recomputed': m.positionsOnly.attributeUpdates, 'attribute time': ms(m.positionsOnly.updateAttributesMs), 'until next frame': ms(m.positionsOnly.frameMs) },
      { change: 'every layer got new data', 'layer update': ms(m.everything.updateMs), 'deck.gl layers updated': m.everything.layerUpdates, 'attribute managers recomputed': m.everything.attributeUpdates, 'attribute time': ms(m.everything.updateAttributesMs), 'until next frame': ms(m.everything.frameMs) },
    ]);
    console.log(`positions-only update is ${(m.everything.updateMs / Math.max(0.001, m.positionsOnly.updateMs)).toFixed(1)}× cheaper than rebuilding everything`);
  } finally {
    await session.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url = 'http://127.0.0.1:3000', runs = '3'] = process.argv.slice(2);
  await benchScreen(url, Number(runs));
}
