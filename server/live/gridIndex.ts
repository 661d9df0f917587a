// The grid polygons in memory with a packed R-tree, so each incoming position finds its grid in
// microseconds instead of a spatial query per row. Reloaded when the grids' revision moves.
import Flatbush from 'flatbush';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type pg from 'pg';
import type { Polygon } from 'geojson';

interface Entry { id: number; polygon: Polygon; township: string }

export class GridIndex {
  private entries: Entry[] = [];
  private byId = new Map<number, Entry>();
  private tree: Flatbush | null = null;
  private revision = -1;
  private loading: Promise<void> | null = null;

  constructor(private pool: pg.Pool) {}

  /** Reloads when the grids changed since the last load (one tiny query otherwise). */
  async refresh(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      const { rows: [r] } = await this.pool.query<{ rev: number }>(`SELECT rev FROM data_revisions WHERE name = 'grids'`);
      if (r && r.rev === this.revision) return;
      const { rows } = await this.pool.query<{ id: number; g: Polygon; township: string }>(`
        SELECT g.id, ST_AsGeoJSON(g.geom)::json AS g, t.code AS township
        FROM grids g JOIN regions v ON v.id = g.village_id JOIN regions t ON t.id = v.parent_id ORDER BY g.id`);
      const tree = new Flatbush(Math.max(rows.length, 1));
      const entries: Entry[] = [];
      for (const row of rows) {
        let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        for (const [x, y] of row.g.coordinates[0]) {
          if (x < minX) minX = x; if (y < minY) minY = y; if (x > maxX) maxX = x; if (y > maxY) maxY = y;
        }
        tree.add(minX, minY, maxX, maxY);
        entries.push({ id: row.id, polygon: row.g, township: row.township });
      }
      if (!rows.length) tree.add(0, 0, 0, 0);
      tree.finish();
      this.entries = entries;
      this.byId = new Map(entries.map((e) => [e.id, e]));
      this.tree = rows.length ? tree : null;
      this.revision = r?.rev ?? 0;
    })().finally(() => { this.loading = null; });
    return this.loading;
  }

  /** Code of the township a grid belongs to. */
  townshipOf(gridId: number | null): string | undefined {
    return gridId === null ? undefined : this.byId.get(gridId)?.township;
  }

  /**
   * Id of the grid containing the point, or null. `guess` is a grid to try first: a worker's
   * reports mostly fall in the grid of the previous one, and one polygon test is cheaper than a search.
   */
  find(lon: number, lat: number, guess?: number | null): number | null {
    if (!this.tree) return null;
    if (guess != null) {
      const g = this.byId.get(guess);
      if (g && booleanPointInPolygon([lon, lat], g.polygon)) return g.id;
    }
    for (const i of this.tree.search(lon, lat, lon, lat)) {
      const e = this.entries[i];
      if (booleanPointInPolygon([lon, lat], e.polygon)) return e.id;
    }
    return null;
  }
}
