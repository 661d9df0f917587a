// What the replay map shows around the tracks: county outline, grids (outlines, names for the
// panel), roads and water. Loaded once, in parallel; none of it holds up the tracks.
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient, GridProperties } from '../api/client.js';
import type { ReplayContextData } from './ReplayMap.js';

export interface ReplayContext {
  data: ReplayContextData | null;
  /** Grid properties by id (names, village, township), once the grids are in. */
  gridsById: ReadonlyMap<number, GridProperties>;
}

const NO_GRIDS: ReadonlyMap<number, GridProperties> = new Map();

export function useReplayContext(api: ApiClient): ReplayContext {
  const [data, setData] = useState<ReplayContextData | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    let county: ReplayContextData['county'] = [];
    let grids: ReplayContextData['grids'] = [];
    let basemap: ReplayContextData['basemap'] = null;
    const publish = () => {
      if (!ac.signal.aborted) setData({ county, grids, basemap });
    };
    const warn = (what: string) => (err: unknown) => {
      if (!ac.signal.aborted) console.warn(`replay: ${what} not loaded:`, err);
    };
    api.regions('county', ac.signal).then((fc) => {
      county = fc.features;
      publish();
    }, warn('county outline'));
    api.grids({ signal: ac.signal }).then((fc) => {
      grids = fc.features;
      publish();
    }, warn('grids'));
    api.basemap(ac.signal).then((fc) => {
      basemap = fc.features;
      publish();
    }, warn('roads and water'));
    return () => ac.abort();
  }, [api]);

  const gridsById = useMemo(() => {
    if (!data?.grids.length) return NO_GRIDS;
    return new Map(data.grids.map((g) => [g.properties.id, g.properties]));
  }, [data?.grids]);

  return { data, gridsById };
}
