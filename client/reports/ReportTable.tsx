// The report as a table: one row per unit and the total, sortable by any column (click a heading;
// again to reverse). Empty values (no closed incident yet, nobody rated) sort last either way.
import { useMemo, useState } from 'react';
import type { ReportFigures, ReportRow } from '../../server/schemas/reports.js';
import { useReportT, type ReportStringKey } from './strings.js';

export type ColumnKey = 'code' | 'name' | 'parent' | keyof ReportFigures;

interface Column {
  key: ColumnKey;
  label: ReportStringKey;
  numeric: boolean;
  value: (r: ReportRow) => string | number | null;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const fixed = (digits: number) => (v: number | null) => (v === null ? '—' : v.toFixed(digits));

export const COLUMNS: readonly Column[] = [
  { key: 'code', label: 'code', numeric: false, value: (r) => r.unit.code },
  { key: 'name', label: 'name', numeric: false, value: (r) => r.unit.name },
  { key: 'parent', label: 'parent', numeric: false, value: (r) => r.unit.parent },
  { key: 'reported', label: 'reported', numeric: true, value: (r) => r.reported },
  { key: 'closed', label: 'closed', numeric: true, value: (r) => r.closed },
  { key: 'closureRate', label: 'closureRate', numeric: true, value: (r) => r.closureRate },
  { key: 'avgHoursToClose', label: 'avgHours', numeric: true, value: (r) => r.avgHoursToClose },
  { key: 'p90HoursToClose', label: 'p90Hours', numeric: true, value: (r) => r.p90HoursToClose },
  { key: 'overdue', label: 'overdue', numeric: true, value: (r) => r.overdue },
  { key: 'returned', label: 'returned', numeric: true, value: (r) => r.returned },
  { key: 'void', label: 'void', numeric: true, value: (r) => r.void },
  { key: 'rated', label: 'rated', numeric: true, value: (r) => r.rated },
  { key: 'satisfaction', label: 'satisfaction', numeric: true, value: (r) => r.satisfaction },
];

const FORMAT: Partial<Record<ColumnKey, (v: number | null) => string>> = {
  closureRate: pct, avgHoursToClose: fixed(1), p90HoursToClose: fixed(1), satisfaction: fixed(2),
};

export function formatCell(key: ColumnKey, v: string | number | null): string {
  if (v === null || v === undefined) return '—';
  const f = FORMAT[key];
  return f && typeof v === 'number' ? f(v) : typeof v === 'number' ? v.toLocaleString() : v;
}

/** Rows sorted by a column; nulls last in both directions; ties by code. */
export function sortRows(rows: readonly ReportRow[], key: ColumnKey, dir: 'asc' | 'desc'): ReportRow[] {
  const col = COLUMNS.find((c) => c.key === key)!;
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = col.value(a);
    const vb = col.value(b);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'zh-CN');
    return c * sign || (a.unit.code ?? '').localeCompare(b.unit.code ?? '');
  });
}

export function ReportTable({ rows, total }: { rows: readonly ReportRow[]; total: ReportFigures }) {
  const t = useReportT();
  const [sort, setSort] = useState<{ key: ColumnKey; dir: 'asc' | 'desc' }>({ key: 'reported', dir: 'desc' });
  const sorted = useMemo(() => sortRows(rows, sort.key, sort.dir), [rows, sort]);
  const totalRow: ReportRow = { unit: { id: null, code: null, name: t('total'), parent: null }, ...total };
  const onHead = (key: ColumnKey, numeric: boolean) =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: numeric ? 'desc' : 'asc' }));
  return (
    <table className="report-table" data-testid="report-table" data-sort={`${sort.key}:${sort.dir}`}>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              scope="col"
              className={c.numeric ? 'num' : undefined}
              aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button type="button" onClick={() => onHead(c.key, c.numeric)} title={t('sortBy', { column: t(c.label) })} data-column={c.key}>
                {t(c.label)}
                <span className="report-table__arrow" aria-hidden>{sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((r, i) => (
          <tr key={`${r.unit.id ?? 'x'}-${i}`} data-unit={r.unit.code ?? ''}>
            {COLUMNS.map((c) => (
              <td key={c.key} className={c.numeric ? 'num' : undefined}>
                {c.key === 'name' && !r.unit.name ? t('unknownUnit') : formatCell(c.key, c.value(r))}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr data-unit="total">
          {COLUMNS.map((c) => (
            <td key={c.key} className={c.numeric ? 'num' : undefined}>{c.key === 'code' ? '' : formatCell(c.key, c.value(totalRow))}</td>
          ))}
        </tr>
      </tfoot>
    </table>
  );
}
