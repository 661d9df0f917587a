// A minimal GeoPackage 1.3 writer (better-sqlite3): feature tables with WGS84 geometries stored as
// GeoPackage binary (header + envelope + WKB from PostGIS), readable by GDAL/QGIS/ArcGIS.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';

export interface GpkgColumn { name: string; type: 'TEXT' | 'INTEGER' | 'REAL' | 'DATETIME' }
export interface GpkgTable {
  name: string;
  description: string;
  geometryType: 'POLYGON' | 'MULTIPOLYGON' | 'POINT';
  columns: GpkgColumn[];
  /** rows: id, wkb (little-endian WKB), envelope [minx, maxx, miny, maxy], then the columns in order */
  rows: Array<{ id: number; wkb: Buffer; env: [number, number, number, number]; values: unknown[] }>;
}

/** GeoPackage geometry blob: "GP", version 0, flags (little endian, envelope [minx,maxx,miny,maxy]), srs id, envelope, WKB. */
export function gpkgGeometry(wkb: Buffer, env: [number, number, number, number], srsId = 4326): Buffer {
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b0000_0011, 3); // envelope type 1 (xy), little endian
  header.writeInt32LE(srsId, 4);
  env.forEach((v, i) => header.writeDoubleLE(v, 8 + i * 8));
  return Buffer.concat([header, wkb]);
}

export async function writeGeoPackage(tables: GpkgTable[]): Promise<Buffer> {
  const file = path.join(os.tmpdir(), `gridcc-${crypto.randomUUID()}.gpkg`);
  const db = new Database(file);
  try {
    db.pragma('application_id = 1196444487'); // 'GPKG'
    db.pragma('user_version = 10300');
    db.pragma('journal_mode = OFF');
    db.exec(`
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE,
  srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');`);
    for (const t of tables) {
      if (!/^[a-z_][a-z0-9_]*$/.test(t.name) || t.columns.some((c) => !/^[a-z_][a-z0-9_]*$/.test(c.name))) throw new Error(`bad name in ${t.name}`);
      db.exec(`CREATE TABLE ${t.name} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${t.geometryType}${t.columns.map((c) => `, ${c.name} ${c.type}`).join('')})`);
      const env = t.rows.reduce((e, r) => [Math.min(e[0], r.env[0]), Math.min(e[1], r.env[2]), Math.max(e[2], r.env[1]), Math.max(e[3], r.env[3])],
        [Infinity, Infinity, -Infinity, -Infinity]);
      const has = t.rows.length > 0;
      db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)`)
        .run(t.name, t.name, t.description, has ? env[0] : null, has ? env[1] : null, has ? env[2] : null, has ? env[3] : null);
      db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`).run(t.name, t.geometryType);
      const insert = db.prepare(`INSERT INTO ${t.name} (fid, geom${t.columns.map((c) => `, ${c.name}`).join('')}) VALUES (?, ?${t.columns.map(() => ', ?').join('')})`);
      db.transaction(() => {
        for (const r of t.rows) insert.run(r.id, gpkgGeometry(r.wkb, r.env), ...r.values.map((v) => (v instanceof Date ? v.toISOString() : v ?? null)));
      })();
    }
    db.close();
    return await fs.readFile(file);
  } finally {
    if (db.open) db.close();
    await fs.rm(file, { force: true });
  }
}
