-- One notification per order outcome; the delivery job goes out through the outbox (work queue).
CREATE TABLE notifications (
  order_id text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('completed', 'cancelled')),
  job_id text NOT NULL UNIQUE,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (order_id, outcome)
);

-- What the competing delivery workers did; job_id unique: a redelivered job is not sent twice.
CREATE TABLE deliveries (
  job_id text PRIMARY KEY,
  worker text NOT NULL,
  delivered_at timestamptz NOT NULL
);

-- Read model: each customer's order history, rebuilt at any time by replaying the ORDERS stream.
CREATE TABLE customer_order_history (
  customer_id text PRIMARY KEY,
  completed integer NOT NULL DEFAULT 0,
  cancelled integer NOT NULL DEFAULT 0,
  last_order_id text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE customer_order_history_applied (
  event_id text PRIMARY KEY
);
