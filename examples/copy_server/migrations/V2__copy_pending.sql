-- Copies whose image the cloud is still making, which the copy follower polls (and resumes
-- polling after a restart): migration 2 of the SQLite schema (src/store/schema.rs).

ALTER TABLE images ADD COLUMN copy_pending BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX images_copy_pending ON images (id) WHERE copy_pending;
