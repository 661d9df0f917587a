-- A key per phone, registered by an administrator and shown once: only its SHA-256 is stored.
-- Positions from a device are taken only with its live key; revoking (or rotating) ends the old one.
-- Old keys stay for the record. No foreign key to workers: the demo seed empties that table with
-- TRUNCATE … CASCADE, which would also empty this one.
CREATE TABLE device_keys (
  id          serial PRIMARY KEY,
  device_id   text NOT NULL,
  key_hash    bytea NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES users(id),
  revoked_at  timestamptz
);
-- at most one live key per device
CREATE UNIQUE INDEX device_keys_live_idx ON device_keys (device_id) WHERE revoked_at IS NULL;

-- Servers reload their in-memory keys when this moves (a revocation reaches every process).
INSERT INTO data_revisions (name) VALUES ('device_keys');
CREATE TRIGGER device_keys_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON device_keys
  FOR EACH STATEMENT EXECUTE FUNCTION bump_revision('device_keys');
