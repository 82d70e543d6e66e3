CREATE TABLE stock (
  product_id text PRIMARY KEY,
  store_id text NOT NULL,
  initial_stock integer NOT NULL,
  on_hand integer NOT NULL CHECK (on_hand >= 0),
  removed boolean NOT NULL DEFAULT false
);

-- One decision per order: reserved (with its lines) or failed.
CREATE TABLE reservations (
  order_id text PRIMARY KEY,
  reserved boolean NOT NULL,
  lines jsonb NOT NULL,
  failed_product_id text,
  decided_at timestamptz NOT NULL
);
