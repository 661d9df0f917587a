-- Core schema: administrative regions, grids and their history, people, devices, cameras, incidents, positions.
-- All geometries are WGS84 (SRID 4326) and GiST-indexed.
CREATE EXTENSION IF NOT EXISTS postgis;

-- County / township / village hierarchy (official 12-digit statistical codes; county uses its 6-digit code).
CREATE TABLE regions (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('county', 'township', 'village')),
  -- 街道 / 镇 / 乡 / 开发区 for townships, 社区 / 村 / 林场 for villages
  subtype     text,
  parent_id   integer REFERENCES regions(id),
  geom        geometry(MultiPolygon, 4326) NOT NULL,
  label_point geometry(Point, 4326) NOT NULL,
  area_m2     double precision NOT NULL,
  CHECK ((kind = 'county') = (parent_id IS NULL))
);
CREATE INDEX regions_geom_gix ON regions USING gist (geom);
CREATE INDEX regions_parent_idx ON regions (parent_id);
CREATE INDEX regions_kind_idx ON regions (kind);

CREATE TABLE grids (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  village_id  integer NOT NULL REFERENCES regions(id),
  kind        text NOT NULL CHECK (kind IN ('urban', 'rural')),
  geom        geometry(Polygon, 4326) NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grids_geom_gix ON grids USING gist (geom);
CREATE INDEX grids_village_idx ON grids (village_id);

-- Every geometry a grid has had. valid_to IS NULL marks the current version, so statistics for a
-- past period can join on the boundaries valid at the time.
CREATE TABLE grid_versions (
  id          bigserial PRIMARY KEY,
  grid_id     integer NOT NULL REFERENCES grids(id),
  version     integer NOT NULL,
  code        text NOT NULL,
  name        text NOT NULL,
  village_id  integer NOT NULL REFERENCES regions(id),
  kind        text NOT NULL,
  geom        geometry(Polygon, 4326) NOT NULL,
  valid_from  timestamptz NOT NULL,
  valid_to    timestamptz,
  changed_by  text NOT NULL,
  reason      text NOT NULL,
  UNIQUE (grid_id, version),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX grid_versions_geom_gix ON grid_versions USING gist (geom);
CREATE INDEX grid_versions_period_idx ON grid_versions (valid_from, valid_to);

CREATE TABLE departments (
  id     serial PRIMARY KEY,
  code   text NOT NULL UNIQUE,
  name   text NOT NULL UNIQUE,
  -- party / government / public-service / utility / township
  kind   text NOT NULL,
  phone  text
);

CREATE TABLE workers (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name       text NOT NULL,
  -- 网格长 grid_leader / 专职 full_time / 兼职 part_time
  role       text NOT NULL CHECK (role IN ('grid_leader', 'full_time', 'part_time')),
  grid_id    integer NOT NULL REFERENCES grids(id),
  phone      text NOT NULL,
  device_id  text UNIQUE,
  active     boolean NOT NULL DEFAULT true,
  -- working hours, local time
  shift_start time NOT NULL DEFAULT '08:00',
  shift_end   time NOT NULL DEFAULT '17:30'
);
CREATE INDEX workers_grid_idx ON workers (grid_id);

CREATE TABLE cameras (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  -- 雪亮工程 xueliang / 村村通 cuncuntong / 社会面 public
  kind        text NOT NULL CHECK (kind IN ('xueliang', 'cuncuntong', 'public')),
  geom        geometry(Point, 4326) NOT NULL,
  heading     real NOT NULL CHECK (heading >= 0 AND heading < 360),
  fov         real NOT NULL CHECK (fov > 0 AND fov <= 360),
  range_m     real NOT NULL DEFAULT 80 CHECK (range_m > 0),
  status      text NOT NULL CHECK (status IN ('online', 'offline')),
  stream_url  text,
  grid_id     integer REFERENCES grids(id),
  installed_at date NOT NULL
);
CREATE INDEX cameras_geom_gix ON cameras USING gist (geom);

-- Base-map features of the demo data (roads, water): drawn by the offline style.
CREATE TABLE basemap_features (
  id     serial PRIMARY KEY,
  kind   text NOT NULL CHECK (kind IN ('road', 'water')),
  class  text NOT NULL,
  name   text,
  geom   geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX basemap_features_geom_gix ON basemap_features USING gist (geom);

CREATE TABLE incidents (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  category      text NOT NULL,
  -- 网格员 grid_worker / 12345 hotline / 110 非警务 police_110 / 信访 petition / 指挥中心 command_center
  source        text NOT NULL CHECK (source IN ('grid_worker', 'hotline', 'police_110', 'petition', 'command_center')),
  status        text NOT NULL CHECK (status IN ('reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'rated', 'closed', 'returned', 'void')),
  priority      smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
  description   text NOT NULL,
  address       text,
  geom          geometry(Point, 4326) NOT NULL,
  -- where it was at the moment of the report (boundaries valid then); never recomputed after edits
  grid_id       integer REFERENCES grids(id),
  village_id    integer REFERENCES regions(id),
  township_id   integer REFERENCES regions(id),
  reporter_worker_id integer REFERENCES workers(id),
  department_id integer REFERENCES departments(id),
  reported_at   timestamptz NOT NULL,
  accepted_at   timestamptz,
  dispatched_at timestamptz,
  resolved_at   timestamptz,
  closed_at     timestamptz,
  due_at        timestamptz,
  rating        smallint CHECK (rating BETWEEN 1 AND 5),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incidents_geom_gix ON incidents USING gist (geom);
CREATE INDEX incidents_reported_idx ON incidents (reported_at);
CREATE INDEX incidents_grid_idx ON incidents (grid_id, reported_at);
CREATE INDEX incidents_open_idx ON incidents (status) WHERE status NOT IN ('closed', 'void');

-- Worker positions: millions of rows a day. Range-partitioned by day on ts; partitions are created
-- ahead by the server (server/db/partitions.ts) and old ones dropped whole for retention.
CREATE TABLE positions (
  worker_id  integer NOT NULL,
  ts         timestamptz NOT NULL,
  geom       geometry(Point, 4326) NOT NULL,
  speed      real,
  heading    real,
  accuracy   real,
  battery    real,
  PRIMARY KEY (worker_id, ts)
) PARTITION BY RANGE (ts);
CREATE INDEX positions_ts_idx ON positions (ts);
CREATE INDEX positions_geom_gix ON positions USING gist (geom);

-- What the last seed was built from (seed, generator version, counts), so a restart does not reseed.
CREATE TABLE dataset_info (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
