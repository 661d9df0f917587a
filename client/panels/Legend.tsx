// Legend of the grid kinds (and the boundaries drawn over them), with counts when known.
import { useT } from '../i18n/index.js';

export interface LegendProps {
  /** Counts, already formatted for the locale. */
  urbanCount?: string | null;
  ruralCount?: string | null;
}

export function Legend({ urbanCount, ruralCount }: LegendProps) {
  const t = useT();
  return (
    <section className="legend" aria-label={t('legend.title')} data-testid="legend">
      <h2 className="legend__title">{t('legend.title')}</h2>
      <ul className="legend__items">
        <li className="legend__item">
          <span className="legend__swatch legend__swatch--urban" aria-hidden />
          <span className="legend__label">{t('legend.urban')}</span>
          {urbanCount != null && <span className="legend__count">{t('legend.count', { count: urbanCount })}</span>}
        </li>
        <li className="legend__item">
          <span className="legend__swatch legend__swatch--rural" aria-hidden />
          <span className="legend__label">{t('legend.rural')}</span>
          {ruralCount != null && <span className="legend__count">{t('legend.count', { count: ruralCount })}</span>}
        </li>
        <li className="legend__item">
          <span className="legend__line legend__line--township" aria-hidden />
          <span className="legend__label">{t('legend.township')}</span>
        </li>
        <li className="legend__item">
          <span className="legend__line legend__line--village" aria-hidden />
          <span className="legend__label">{t('legend.village')}</span>
        </li>
      </ul>
    </section>
  );
}
