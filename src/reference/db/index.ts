export type { Db, Queryable, QueryResult, SqlParam } from './db.ts';
export { DbError, isDbError, isMigrationError, MigrationError } from './errors.ts';
export { type Migration, migrate, readMigrations } from './migrate.ts';
export { type OpenDbOptions, openServiceDb } from './open-db.ts';
export { openPgliteDb } from './pglite-db.ts';
export { openPostgresDb } from './postgres-db.ts';
