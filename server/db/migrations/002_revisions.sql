-- A revision counter per dataset, bumped by statement triggers on every write, so cached and
-- precompressed responses (all grids, all regions) know in one tiny query whether they are stale —
-- across several server processes too.
CREATE TABLE data_revisions (
  name text PRIMARY KEY,
  rev  bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_revisions (name) VALUES ('grids'), ('regions'), ('workers'), ('cameras'), ('basemap');

CREATE FUNCTION bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_revisions SET rev = rev + 1, changed_at = now() WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;

CREATE TRIGGER grids_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('grids');
CREATE TRIGGER regions_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('regions');
CREATE TRIGGER workers_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('workers');
CREATE TRIGGER cameras_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cameras
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('cameras');
CREATE TRIGGER basemap_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON basemap_features
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('basemap');
