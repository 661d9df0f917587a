// The hover card of one grid: name, code, township, village, number of grid workers.
// Pure: give it the grid's properties and where the pointer is (map-container pixels).
import type { CSSProperties } from 'react';
import type { GridProperties } from '../api/client.js';
import { useT } from '../i18n/index.js';

export interface GridTooltipProps {
  grid: GridProperties;
  /** Pointer position inside the map container, px. Omit to render unpositioned (tests, panels). */
  x?: number;
  y?: number;
  /** Size of the map container, to keep the card inside it. */
  containerWidth?: number;
  containerHeight?: number;
}

const OFFSET = 14;
const CARD_W = 260;
const CARD_H = 150;

export function GridTooltip({ grid, x, y, containerWidth = Infinity, containerHeight = Infinity }: GridTooltipProps) {
  const t = useT();
  let style: CSSProperties | undefined;
  if (x !== undefined && y !== undefined) {
    const left = x + OFFSET + CARD_W > containerWidth ? x - OFFSET - CARD_W : x + OFFSET;
    const top = y + OFFSET + CARD_H > containerHeight ? y - OFFSET - CARD_H : y + OFFSET;
    style = { left: Math.max(4, left), top: Math.max(4, top) };
  }
  const rows: Array<[string, string, string]> = [
    ['code', t('tooltip.code'), grid.code],
    ['township', t('tooltip.township'), grid.townshipName],
    ['village', t('tooltip.village'), grid.villageName],
    ['workers', t('tooltip.workers'), t('tooltip.workersValue', { count: grid.workerCount })],
  ];
  return (
    <div className="grid-tooltip" role="tooltip" data-testid="grid-tooltip" data-grid-code={grid.code} style={style}>
      <div className="grid-tooltip__head">
        <span className="grid-tooltip__label">{t('tooltip.grid')}</span>
        <span className="grid-tooltip__name" data-field="name">
          {grid.name}
        </span>
        <span className={`kind-badge kind-badge--${grid.kind}`}>{t(grid.kind === 'urban' ? 'kind.urban' : 'kind.rural')}</span>
      </div>
      <dl className="grid-tooltip__rows">
        {rows.map(([field, label, value]) => (
          <div className="grid-tooltip__row" key={field}>
            <dt>{label}</dt>
            <dd data-field={field}>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
