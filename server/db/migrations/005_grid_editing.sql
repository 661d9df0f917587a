-- Grid boundary editing: change sets, and history that outlives grids.
-- A grid that is split or merged away leaves `grids` (which holds the current coverage only) but
-- keeps its versions in grid_versions; incidents, visits and events keep the id of the grid they
-- happened in, so those references are historical and no longer foreign keys.
ALTER TABLE grid_versions DROP CONSTRAINT grid_versions_grid_id_fkey;
ALTER TABLE incidents DROP CONSTRAINT incidents_grid_id_fkey;
ALTER TABLE patrol_visits DROP CONSTRAINT patrol_visits_grid_id_fkey;
ALTER TABLE worker_events DROP CONSTRAINT worker_events_grid_id_fkey;
ALTER TABLE worker_status DROP CONSTRAINT worker_status_grid_id_fkey;
ALTER TABLE cameras DROP CONSTRAINT cameras_grid_id_fkey;

CREATE TABLE grid_change_sets (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     integer REFERENCES users(id),
  actor       text NOT NULL,
  -- edit / split / merge / reassign / create / revert / import
  kind        text NOT NULL,
  reason      text NOT NULL,
  -- grids touched: [{id, code, fromVersion, toVersion, areaBefore, areaAfter}]
  summary     jsonb NOT NULL,
  reverts     bigint REFERENCES grid_change_sets(id)
);

ALTER TABLE grid_versions ADD COLUMN change_set_id bigint REFERENCES grid_change_sets(id);
CREATE INDEX grid_versions_grid_idx ON grid_versions (grid_id, version);
CREATE INDEX grid_versions_change_set_idx ON grid_versions (change_set_id);
