// Downloads of the layers shown, limited to what is in view: GeoJSON (for QGIS and other GIS tools)
// and CSV (for spreadsheets), from GET /api/export/{layer}.{format}?bbox= — incidents within the
// map's time window — and the whole grid coverage with its history as a GeoPackage. Plain links: the
// browser downloads with the session cookie, and the server names the file.
import { useT, type MessageKey } from '../i18n/index.js';
import type { LayerKey } from '../state/urlState.js';
import type { ResolvedWindow } from '../state/timeWindow.js';

/** Export layers for each map layer (regions are townships and villages). */
const EXPORTS: Partial<Record<LayerKey, readonly string[]>> = {
  grids: ['grids'],
  regions: ['townships', 'villages'],
  cameras: ['cameras'],
  incidents: ['incidents'],
};

export function exportUrl(layer: string, format: 'geojson' | 'csv', bounds: readonly number[], window?: ResolvedWindow): string {
  const q = new URLSearchParams({ bbox: bounds.map((v) => v.toFixed(6)).join(',') });
  if (layer === 'incidents' && window) { q.set('from', window.from); q.set('to', window.to); }
  return `/api/export/${layer}.${format}?${q}`;
}

export function ExportLinks({ bounds, layers, window }: {
  /** The visible box, WGS84 [minLon, minLat, maxLon, maxLat]. */
  bounds: readonly number[] | null;
  layers: readonly LayerKey[];
  window: ResolvedWindow;
}) {
  const t = useT();
  const shown = layers.flatMap((k) => EXPORTS[k] ?? []);
  return (
    <section className="layer layer--export" data-testid="export-links">
      <header className="layer__head"><span className="layer__title">{t('export.title')}</span></header>
      <div className="layer__body">
        {!bounds || !shown.length ? (
          <span className="legend-list__hint">{t('export.none')}</span>
        ) : (
          <ul className="export-list">
            {shown.map((layer) => (
              <li key={layer} className="export-list__row">
                <span className="export-list__name">{t(`export.layer.${layer}` as MessageKey)}</span>
                {(['geojson', 'csv'] as const).map((f) => (
                  <a key={f} className="export-list__link" href={exportUrl(layer, f, bounds, window)} download data-export={`${layer}.${f}`}>
                    {f === 'geojson' ? 'GeoJSON' : 'CSV'}
                  </a>
                ))}
              </li>
            ))}
          </ul>
        )}
        <a className="export-list__link export-list__link--gpkg" href="/api/export/grids.gpkg" download data-export="grids.gpkg">
          {t('export.gpkg')}
        </a>
      </div>
    </section>
  );
}
