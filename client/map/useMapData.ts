// Loads what the map's geometry layers show: the county outline (always), townships and villages
// (GeoJSON, when boundaries are shown) and grids (TopoJSON, decoded; when grids are shown). One
// request each, in parallel; a failed request is retried with backoff (usePolling) until the
// server answers again, and `reload()` retries at once. Roads and water (/api/basemap) load beside
// them and never hold the map up: without them the basemap is only land and boundaries.
//
// `data` is there as soon as the outline is; the other parts fill in as they arrive (`loaded`).
import { useCallback, useMemo, useRef } from 'react';
import { useLatest } from '../useLatest.js';
import { api as defaultApi, type ApiClient, type BasemapFeature, type GridFeature, type RegionFeature } from '../api/client.js';
import { usePolling } from '../api/usePolling.js';
import { useGridsChanged } from '../editor/useGridsChanged.js';

export interface MapData {
  county: RegionFeature[];
  townships: RegionFeature[];
  villages: RegionFeature[];
  grids: GridFeature[];
}

export type MapDataState =
  | { status: 'loading'; data: null; error: null }
  | { status: 'ready'; data: MapData; error: null }
  | { status: 'error'; data: null; error: Error };

export async function loadMapData(api: ApiClient, signal?: AbortSignal): Promise<MapData> {
  const [county, townships, villages, grids] = await Promise.all([
    api.regions('county', signal),
    api.regions('township', signal),
    api.regions('village', signal),
    api.grids({ signal }),
  ]);
  return { county: county.features, townships: townships.features, villages: villages.features, grids: grids.features };
}

export interface MapDataParts {
  regions?: boolean;
  grids?: boolean;
}

const EMPTY_REGIONS: RegionFeature[] = [];
const EMPTY_GRIDS: GridFeature[] = [];

export function useMapData(
  api: ApiClient = defaultApi,
  parts: MapDataParts = { regions: true, grids: true },
): MapDataState & { basemap: BasemapFeature[] | null; reload: () => void; loaded: { regions: boolean; grids: boolean }; failures: number } {
  // Parts once asked for stay loaded.
  const want = useRef({ regions: false, grids: false });
  if (parts.regions) want.current.regions = true;
  if (parts.grids) want.current.grids = true;

  const county = usePolling('county', (signal) => api.regions('county', signal));
  const regions = usePolling(want.current.regions ? 'regions' : null, async (signal) => {
    const [townships, villages] = await Promise.all([api.regions('township', signal), api.regions('village', signal)]);
    return { townships: townships.features, villages: villages.features };
  });
  const grids = usePolling(want.current.grids ? 'grids' : null, (signal) => api.grids({ signal }));
  const basemap = usePolling('basemap', (signal) => api.basemap(signal), { maxMs: 60_000 });

  const data = useMemo<MapData | null>(() => {
    if (!county.data) return null;
    return {
      county: county.data.features,
      townships: regions.data?.townships ?? EMPTY_REGIONS,
      villages: regions.data?.villages ?? EMPTY_REGIONS,
      grids: grids.data?.features ?? EMPTY_GRIDS,
    };
  }, [county.data, regions.data, grids.data]);

  const refreshAll = [county.refresh, regions.refresh, grids.refresh];
  const refs = useLatest(refreshAll);
  const reload = useCallback(() => refs.current.forEach((r) => r()), []);
  // A saved grid edit anywhere reaches every map within a second: reload grids and the village and
  // township areas derived from them (cheap: the server serves them precompressed from its cache).
  useGridsChanged(() => { refs.current[1](); refs.current[2](); }, { onReconnect: reload });

  const error = county.error ?? regions.error ?? grids.error;
  const failures = Math.max(county.failures, regions.failures, grids.failures);
  const loaded = { regions: regions.data !== null, grids: grids.data !== null };
  const base = { basemap: basemap.data?.features ?? null, reload, loaded, failures };
  if (data) return { status: 'ready', data, error: null, ...base };
  if (error) return { status: 'error', data: null, error, ...base };
  return { status: 'loading', data: null, error: null, ...base };
}
