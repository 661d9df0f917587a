// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../client/i18n/index.js';
import { ExportLinks, exportUrl } from '../../client/panels/ExportLinks.js';

afterEach(cleanup);
const win = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' };
const view = [118.7, 34.48, 118.8, 34.56];

describe('export of the layers in view', () => {
  it('builds the export URL with the visible box, and the time window for incidents only', () => {
    expect(exportUrl('grids', 'geojson', view, win)).toBe('/api/export/grids.geojson?bbox=118.700000%2C34.480000%2C118.800000%2C34.560000');
    const u = new URL(exportUrl('incidents', 'csv', view, win), 'http://x');
    expect(u.pathname).toBe('/api/export/incidents.csv');
    expect(u.searchParams.get('from')).toBe(win.from);
    expect(u.searchParams.get('to')).toBe(win.to);
  });

  it('offers GeoJSON and CSV for each layer shown (regions as townships and villages) and the GeoPackage', () => {
    render(<I18nProvider locale="zh-CN"><ExportLinks bounds={view} layers={['grids', 'regions', 'patrols']} window={win} /></I18nProvider>);
    const links = screen.getAllByRole('link').map((a) => a.getAttribute('data-export'));
    expect(links).toEqual(['grids.geojson', 'grids.csv', 'townships.geojson', 'townships.csv', 'villages.geojson', 'villages.csv', 'grids.gpkg']);
    expect(screen.getByText('导出当前视野')).toBeTruthy();
  });

  it('says what to do when no exportable layer is on', () => {
    render(<I18nProvider locale="en"><ExportLinks bounds={view} layers={['patrols']} window={win} /></I18nProvider>);
    expect(screen.getByText('Turn a layer on to export its features in view')).toBeTruthy();
  });
});
