// A tiny bank-account aggregate over protobuf events, shared by the event-store tests.
import type { AggregateDefinition, DomainEvent } from '../../src/eventstore/index.ts';
import { protobufEvents } from '../../src/eventstore/index.ts';

export const accountProtos = {
  nested: {
    bank: {
      nested: {
        es: {
          nested: {
            v1: {
              nested: {
                Opened: { fields: { owner: { type: 'string', id: 1 } } },
                Deposited: { fields: { cents: { type: 'int32', id: 1 } } },
              },
            },
            v2: {
              nested: {
                Deposited: {
                  fields: { amount: { type: 'int64', id: 1 }, currency: { type: 'string', id: 2 } },
                },
              },
            },
          },
        },
      },
    },
  },
};

export type AccountEvent =
  | DomainEvent<'bank.es.v1.Opened', { owner: string }>
  | DomainEvent<'bank.es.v2.Deposited', { amount: number; currency: string }>;

export interface Account {
  readonly owner: string;
  readonly balance: number;
  readonly deposits: number;
}

export const accountEvents = protobufEvents<AccountEvent>(accountProtos, [
  'bank.es.v1.Opened',
  'bank.es.v2.Deposited',
]);

export const account: AggregateDefinition<Account, AccountEvent> = {
  type: 'Account',
  initial: () => ({ owner: '', balance: 0, deposits: 0 }),
  apply(state, event) {
    switch (event.type) {
      case 'bank.es.v1.Opened':
        return { ...state, owner: event.value.owner };
      case 'bank.es.v2.Deposited':
        return { ...state, balance: state.balance + event.value.amount, deposits: state.deposits + 1 };
    }
  },
  codec: accountEvents,
};
