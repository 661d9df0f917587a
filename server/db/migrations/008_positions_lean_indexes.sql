-- Positions are written millions of times a day and read only per worker and time (tracks, replay),
-- which the primary key (worker_id, ts) and daily partition pruning already serve. The GiST index on
-- the point and the index on ts alone cost most of the insert time and served no query: spatial
-- questions about patrols go to worker_status (latest) and patrol_visits (who was in which grid).
DROP INDEX IF EXISTS positions_geom_gix;
DROP INDEX IF EXISTS positions_ts_idx;
