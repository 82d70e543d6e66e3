-- Messaging tables (same in every service): transactional outbox, idempotent inbox, redelivery counts.
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  subject text NOT NULL,
  type text NOT NULL,
  headers jsonb NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  stream_seq bigint,
  duplicate boolean
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  duplicates integer NOT NULL DEFAULT 0,
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE delivery_stats (
  consumer text PRIMARY KEY,
  redeliveries integer NOT NULL DEFAULT 0
);
