// What every reference service's handlers get: its database and a unit of work from the kernel
// (eventkit/outbox), imported through the package's public entry exactly as a user's service would.
import { createUnitOfWork, type Db, type UnitOfWork } from 'eventkit/outbox';
import { type FaultHooks, noFaults } from './fault-hooks.ts';

export interface ServiceKit {
  readonly service: string;
  readonly db: Db;
  /** State change + outbox (`commit`), inbox + effect + outbox (`handleOnce`), each in one transaction. */
  readonly work: UnitOfWork;
}

/** A kit whose unit of work wakes `relay` after commits and runs the test-only crash hooks. */
export function serviceKit(
  service: string,
  db: Db,
  options: { relay?: { wake(): void }; faults?: FaultHooks } = {},
): ServiceKit {
  const faults = options.faults ?? noFaults;
  const work = createUnitOfWork(db, {
    ...(options.relay ? { relay: options.relay } : {}),
    onCommit: ({ consumer, messages }) => {
      if (messages > 0) faults.afterOutboxCommit(service);
      if (consumer) faults.afterEffectCommit(consumer);
    },
  });
  return { service, db, work };
}
