// Screenshot of the operator view, for looking at it (not a test):
//   npx tsx tests/e2e/screenshot.ts http://127.0.0.1:3000/ tests/artifacts/shot.png [zoom lon lat] [--en]
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {} from '../../client/testHook.js'; // the window.__gridcc type
import { openBrowser } from './browser.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [url = 'http://127.0.0.1:3000/', out = 'tests/artifacts/shot.png', zoom, lon, lat] = args;
const session = await openBrowser();
const { page } = session;
try {
  if (flags.includes('--en')) await page.addInitScript(() => localStorage.setItem('gridcc.locale', 'en'));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.__gridcc?.isReady, undefined, { timeout: 60_000 });
  console.log(`ready after ${Date.now() - t0} ms`);
  if (zoom) {
    await page.evaluate(
      ([z, x, y]) => {
        const map = window.__gridcc!.map!;
        map.jumpTo({ zoom: z, center: x !== undefined && y !== undefined ? [x, y] : map.getCenter() });
      },
      [Number(zoom), lon === undefined ? undefined : Number(lon), lat === undefined ? undefined : Number(lat)] as const,
    );
    await page.evaluate(() => new Promise<void>((r) => window.__gridcc!.map!.once('idle', () => r())));
    await page.evaluate(() => window.__gridcc!.nextFrame());
    await page.evaluate(() => window.__gridcc!.nextFrame());
  }
  console.log(JSON.stringify(await page.evaluate(() => window.__gridcc!.layers())));
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  if (session.errors.length) console.log('errors:', session.errors);
  await session.close();
}
