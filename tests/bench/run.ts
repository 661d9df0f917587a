// npm run bench — prints figures measured side by side in one run. Uses DATABASE_URL, or the local
// PostGIS started by server/db/pg-up.sh, with a seeded database `gridcc_bench` of its own.
//   npm run bench [-- --incidents 1300000]
import { parseArgs } from 'node:util';
import { seededDatabase } from '../support/db.js';
import { benchGrids } from './grids.js';

const { values } = parseArgs({ options: { incidents: { type: 'string', default: '100000' } } });
const { db } = await seededDatabase('gridcc_bench', Number(values.incidents));
const { rows: [info] } = await db.pool.query(`SELECT version() AS v, postgis_lib_version() AS postgis, (SELECT count(*) FROM incidents) AS incidents`);
console.log(`${info.v.split(',')[0]}, PostGIS ${info.postgis}; ${info.incidents} incidents; node ${process.version}`);
try {
  await benchGrids(db);
} finally {
  await db.close();
}
