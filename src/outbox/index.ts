// eventkit/outbox — the messaging kernel a service builds on: a small database interface (PGlite and
// PostgreSQL adapters), numbered SQL migrations, the transactional outbox and its relay (woken on
// commit), the idempotent inbox and the unit of work that ties them into one transaction.
export type { Db, Queryable, QueryResult, SqlParam, Transaction, Unlisten } from './db.ts';
export { DbError, isDbError, isMigrationError, MigrationError } from './errors.ts';
export { handleOnce, type InboxOutcome, type InboxStats, inboxStats } from './inbox.ts';
export {
  type MigrateOptions,
  type Migration,
  migrate,
  migrateOutbox,
  OUTBOX_MIGRATIONS_TABLE,
  outboxMigrationsDir,
  readMigrations,
} from './migrate.ts';
export { addToOutbox, OUTBOX_CHANNEL } from './outbox.ts';
export { openPgliteDb, type PgliteDbOptions } from './pglite-db.ts';
export { openPostgresDb, type PostgresDbOptions } from './postgres-db.ts';
export {
  type OutboxRelay,
  type OutboxRelayOptions,
  type OutboxRelayStats,
  type SendOutbound,
  startOutboxRelay,
} from './relay.ts';
export {
  type CommitInfo,
  createUnitOfWork,
  type Outgoing,
  type UnitOfWork,
  type UnitOfWorkOptions,
} from './unit-of-work.ts';
