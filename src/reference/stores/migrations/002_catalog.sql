CREATE TABLE stores (
  store_id text PRIMARY KEY,
  name text NOT NULL,
  location text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE products (
  product_id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (store_id),
  name text NOT NULL,
  description text NOT NULL,
  sku text NOT NULL,
  currency text NOT NULL,
  price_minor bigint NOT NULL CHECK (price_minor > 0),
  initial_stock integer NOT NULL CHECK (initial_stock >= 0),
  removed boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL
);
