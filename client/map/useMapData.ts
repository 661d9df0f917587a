// Loads what the operator map shows: county outline, townships, villages (GeoJSON) and grids
// (TopoJSON, decoded). One request each, in parallel; `reload()` retries after an error.
// Roads and water (/api/basemap) load beside them and never hold the map up: without them the
// basemap is only land and boundaries.
import { useCallback, useEffect, useState } from 'react';
import { api as defaultApi, type ApiClient, type BasemapFeature, type GridFeature, type RegionFeature } from '../api/client.js';

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

export function useMapData(
  api: ApiClient = defaultApi,
): MapDataState & { basemap: BasemapFeature[] | null; reload: () => void } {
  const [state, setState] = useState<MapDataState>({ status: 'loading', data: null, error: null });
  const [basemap, setBasemap] = useState<BasemapFeature[] | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    api.basemap(ac.signal).then(
      (fc) => setBasemap(fc.features),
      (err: unknown) => {
        if (ac.signal.aborted) return;
        console.warn('basemap (roads, water) not loaded:', err);
        setBasemap([]);
      },
    );
    return () => ac.abort();
  }, [api]);
  useEffect(() => {
    const ac = new AbortController();
    setState({ status: 'loading', data: null, error: null });
    loadMapData(api, ac.signal).then(
      (data) => setState({ status: 'ready', data, error: null }),
      (err: unknown) => {
        if (ac.signal.aborted) return;
        setState({ status: 'error', data: null, error: err instanceof Error ? err : new Error(String(err)) });
      },
    );
    return () => ac.abort();
  }, [api, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, basemap, reload };
}
