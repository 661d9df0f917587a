-- Live patrol state, kept up to date by position ingest: the latest position and derived state of
-- every worker, the grids each worker visited each day (patrol coverage), and state-change events.
CREATE TABLE worker_status (
  worker_id     integer PRIMARY KEY REFERENCES workers(id),
  ts            timestamptz NOT NULL,
  geom          geometry(Point, 4326) NOT NULL,
  speed         real,
  heading       real,
  accuracy      real,
  battery       real,
  -- patrolling (moving) / idle / offline (no report for N minutes) / outside (its assigned grid for N minutes)
  state         text NOT NULL CHECK (state IN ('patrolling', 'idle', 'offline', 'outside')),
  state_since   timestamptz NOT NULL,
  -- grid containing the latest position (NULL outside the county)
  grid_id       integer REFERENCES grids(id),
  outside_since timestamptz,
  -- when this row was last written: the cursor clients catch up from after a reconnect
  updated_at    timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50);
-- One row per worker (a few thousand) rewritten several times a second: no secondary indexes, so
-- updates stay HOT (in-page); scans of a few thousand rows need none.

-- Local (Asia/Shanghai) day → which grids each worker was in, first and last time seen there
-- (last_ts is refreshed at most once a minute).
CREATE TABLE patrol_visits (
  day        date NOT NULL,
  worker_id  integer NOT NULL REFERENCES workers(id),
  grid_id    integer NOT NULL REFERENCES grids(id),
  first_ts   timestamptz NOT NULL,
  last_ts    timestamptz NOT NULL,
  PRIMARY KEY (day, grid_id, worker_id)
);

CREATE TABLE worker_events (
  id         bigserial PRIMARY KEY,
  worker_id  integer NOT NULL REFERENCES workers(id),
  ts         timestamptz NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('grid_enter', 'grid_exit', 'offline', 'online', 'left_assigned_grid', 'returned_to_grid')),
  grid_id    integer REFERENCES grids(id),
  geom       geometry(Point, 4326)
);
CREATE INDEX worker_events_ts_idx ON worker_events (ts);
CREATE INDEX worker_events_worker_idx ON worker_events (worker_id, ts);
CREATE INDEX worker_events_geom_gix ON worker_events USING gist (geom);

-- Used by @socket.io/postgres-adapter (several server processes) for messages over 8,000 bytes.
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id          bigserial UNIQUE,
  created_at  timestamptz DEFAULT now(),
  payload     bytea
);
