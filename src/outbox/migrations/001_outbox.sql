-- Transactional outbox: rows written in the same transaction as the state change; the relay publishes
-- them in seq order and marks each after its PubAck (stream_seq, duplicate: what JetStream answered).
-- IF NOT EXISTS: databases made before the kernel moved into eventkit/outbox already have these tables.
CREATE TABLE IF NOT EXISTS outbox (
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
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
