-- Idempotent inbox: one row per (consumer, message id), written with the handler's effect; a redelivered
-- copy finds its row and changes nothing (counted in duplicates). delivery_stats counts redeliveries.
CREATE TABLE IF NOT EXISTS inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  duplicates integer NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE IF NOT EXISTS delivery_stats (
  consumer text PRIMARY KEY,
  redeliveries integer NOT NULL DEFAULT 0
);
