-- "Order received" messages (from orders.v1.OrderPlaced) join the per-outcome notifications.
ALTER TABLE notifications DROP CONSTRAINT notifications_outcome_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_outcome_check
  CHECK (outcome IN ('received', 'completed', 'cancelled'));
