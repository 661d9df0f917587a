// npm run bench — prints figures measured side by side in one run. Uses DATABASE_URL, or the local
// PostGIS started by server/db/pg-up.sh, with a seeded database of its own (gridcc_bench, or
// gridcc_bench_1300k with --incidents 1300000).
//   npm run bench [-- --incidents 1300000] [--only grids,heatmap,tiles,layers,reports,edits,ingest,fanout,load,...] [--seconds 15] [--fanout-seconds 60] [--fanout-clients 50,500] [--load-minutes 30]
// (load, the 30-minute run, is not in the default set)
import { parseArgs } from 'node:util';
import { seededDatabase } from '../support/db.js';
import { benchGrids } from './grids.js';
import { benchHeatmap } from './heatmap.js';
import { benchIngest } from './ingest.js';
import { benchGridEdits } from './gridEdits.js';
import { benchReports } from './reports.js';
import { benchTiles } from './tiles.js';
import { benchClientLayers } from './clientLayers.js';
import { benchCrash } from './crash.js';
import { benchLoad } from './load.js';
import { loginViewer } from './auth.js';

const { values } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    only: { type: 'string', default: 'grids,heatmap,tiles,layers,reports,edits,ingest' },
    seconds: { type: 'string', default: '15' },
    'fanout-seconds': { type: 'string', default: '60' },
    'load-minutes': { type: 'string', default: '30' },
    // e.g. --only fanout --fanout-clients 500 --fanout-seconds 600: the memory run alone
    'fanout-clients': { type: 'string', default: '50,500' },
  },
});
const incidents = Number(values.incidents);
const only = new Set(values.only!.split(','));
const name = incidents === 100_000 ? 'gridcc_bench' : `gridcc_bench_${Math.round(incidents / 1000)}k`;
const { url, db } = await seededDatabase(name, incidents);
const { rows: [info] } = await db.pool.query(`SELECT version() AS v, postgis_lib_version() AS postgis, (SELECT count(*) FROM incidents) AS incidents`);
console.log(`${info.v.split(',')[0]}, PostGIS ${info.postgis}; ${info.incidents} incidents; node ${process.version}`);
await loginViewer(db.pool);
try {
  if (only.has('grids')) await benchGrids(db);
  if (only.has('heatmap')) await benchHeatmap(db);
  if (only.has('tiles')) await benchTiles(db);
  if (only.has('layers')) await benchClientLayers(db);
  if (only.has('reports')) await benchReports(db);
  if (only.has('edits')) await benchGridEdits(db);
  if (only.has('load')) await benchLoad(db.pool, url, Number(values['load-minutes']));
  if (only.has('crash')) await benchCrash(db.pool, url, { seconds: Number(values.seconds) });
  if (only.has('ingest') || only.has('fanout')) {
    await benchIngest(db.pool, url, {
      seconds: Number(values.seconds), fanoutSeconds: Number(values['fanout-seconds']),
      fanoutClients: values['fanout-clients']!.split(',').map(Number), skipIngest: !only.has('ingest'),
    });
  }
} finally {
  await db.close();
}
