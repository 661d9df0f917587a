// Seeds a PostgreSQL + PostGIS database with the Donghai demo dataset:
//   DATABASE_URL=postgres://… npx tsx data/generate/cli.ts [--seed N] [--incidents N] [--until ISO-date]
// Runs the migrations first, shows progress on stderr and prints the summary as JSON on stdout.
import pg from 'pg';
import { migrate } from '../../server/db/migrate.js';
import { progressPrinter } from '../../server/progress.js';
import { DEFAULT_SEED, seedDatabase } from './index.js';

function parseArgs(argv: string[]): { seed: number; incidents: number; until?: Date } {
  const out: { seed: number; incidents: number; until?: Date } = { seed: DEFAULT_SEED, incidents: 100_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    const int = (name: string) => {
      const v = value();
      const n = Number(v?.replace(/_/g, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
      return n;
    };
    if (flag === '--seed') out.seed = int('--seed');
    else if (flag === '--incidents') out.incidents = int('--incidents');
    else if (flag === '--until') {
      const v = value();
      const d = new Date(v);
      if (Number.isNaN(d.getTime())) throw new Error(`--until must be a date, got "${v}"`);
      out.until = d;
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: DATABASE_URL=postgres://… npx tsx data/generate/cli.ts [--seed N] [--incidents N] [--until ISO-date]\n');
      process.exit(0);
    } else throw new Error(`unknown argument "${argv[i]}" (try --help)`);
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:54329/gridcc');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => { /* idle client lost */ });
  try {
    await migrate(pool, (m) => process.stderr.write(`  ${m}\n`));
    const started = Date.now();
    const summary = await seedDatabase(pool, { ...args, progress: progressPrinter(process.stderr) });
    process.stderr.write(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`seeding failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
