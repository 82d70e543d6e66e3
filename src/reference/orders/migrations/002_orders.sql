-- Local copy of the stores catalogue (event-carried state transfer): prices without asking stores.
-- as_of: time of the newest product event applied, so a late older event cannot overwrite a newer one.
CREATE TABLE known_products (
  product_id text PRIMARY KEY,
  store_id text NOT NULL,
  currency text NOT NULL,
  price_minor bigint NOT NULL,
  removed boolean NOT NULL DEFAULT false,
  as_of timestamptz NOT NULL
);

CREATE TABLE orders (
  order_id text PRIMARY KEY,
  idempotency_key text UNIQUE,
  customer_id text NOT NULL,
  payment_method_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('placed', 'paid', 'completed', 'cancelled')),
  lines jsonb NOT NULL,
  currency text NOT NULL,
  total_minor bigint NOT NULL,
  payment_id text,
  cancel_reason text,
  placed_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX orders_status ON orders (status);
