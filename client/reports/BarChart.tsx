// Horizontal bars in plain SVG, one group per unit and one bar per series (reported and closed,
// mean and P90 hours, …), with the value at the end of each bar. Scales to its container; prints.
export interface BarSeries {
  name: string;
  /** CSS colour */
  color: string;
}

export interface BarRow {
  label: string;
  values: Array<number | null>;
}

export interface BarChartProps {
  title: string;
  series: readonly BarSeries[];
  rows: readonly BarRow[];
  format: (v: number) => string;
  /** The value of a full-length bar (default: the largest). */
  max?: number;
  testId?: string;
}

const W = 560;
const LABEL_W = 118;
const VALUE_W = 58;
const BAR_H = 9;
const LEGEND_H = 22;

export function BarChart({ title, series, rows, format, max, testId }: BarChartProps) {
  const rowH = series.length * (BAR_H + 2) + 8;
  const h = LEGEND_H + rows.length * rowH + 4;
  const top = max ?? Math.max(0, ...rows.flatMap((r) => r.values.filter((v): v is number => v !== null)));
  const scale = top > 0 ? (W - LABEL_W - VALUE_W) / top : 0;
  return (
    <figure className="report-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        <title>{title}</title>
        <g className="report-chart__legend">
          {series.map((s, k) => (
            <g key={s.name} transform={`translate(${LABEL_W + k * 90}, 6)`}>
              <rect width={10} height={10} fill={s.color} rx={2} />
              <text x={14} y={9}>{s.name}</text>
            </g>
          ))}
        </g>
        {rows.map((r, i) => {
          const y = LEGEND_H + i * rowH;
          return (
            <g key={`${r.label}-${i}`} transform={`translate(0, ${y})`} data-row={r.label}>
              <text className="report-chart__label" x={LABEL_W - 6} y={rowH / 2} textAnchor="end" dominantBaseline="middle">
                {r.label.length > 9 ? `${r.label.slice(0, 8)}…` : r.label}
                <title>{r.label}</title>
              </text>
              {r.values.map((v, k) => {
                const by = 3 + k * (BAR_H + 2);
                const len = v === null ? 0 : Math.max(v > 0 ? 1 : 0, v * scale);
                return (
                  <g key={k}>
                    <rect x={LABEL_W} y={by} width={len} height={BAR_H} fill={series[k].color} rx={1.5} data-value={v ?? ''} />
                    <text className="report-chart__value" x={LABEL_W + len + 4} y={by + BAR_H / 2} dominantBaseline="middle">
                      {v === null ? '—' : format(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
