-- Wake relays on commit: every statement that adds outbox rows sends NOTIFY eventkit_outbox with the
-- table's schema as payload. PostgreSQL delivers it when the transaction commits (never for a rollback),
-- to relays in any process; several rows in one transaction make one notification.
CREATE OR REPLACE FUNCTION eventkit_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('eventkit_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION eventkit_outbox_notify();
