CREATE TABLE payments (
  order_id text PRIMARY KEY,
  payment_id text NOT NULL UNIQUE,
  customer_id text NOT NULL,
  currency text NOT NULL,
  amount_minor bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('approved', 'declined', 'refunded')),
  decline_reason text,
  gateway_reference text,
  charged_at timestamptz NOT NULL,
  refunded_at timestamptz
);
