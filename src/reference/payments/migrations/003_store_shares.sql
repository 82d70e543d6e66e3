-- Each store's share of an approved charge (orders.v2.OrderPlaced carries it): what payments settles per store.
CREATE TABLE payment_store_shares (
  order_id text NOT NULL REFERENCES payments (order_id),
  store_id text NOT NULL,
  currency text NOT NULL,
  amount_minor bigint NOT NULL,
  PRIMARY KEY (order_id, store_id)
);
