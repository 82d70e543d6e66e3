// The ONE place where the stores domain's events become integration events (asyncapi/stores.yaml).
// Product events carry the product's full state (event-carried state transfer).
import type { OutboundMessage } from '../../runtime/api.ts';
import { toTimestamp } from '../platform/proto-values.ts';
import type { Money, StoresDomainEvent } from './domain/catalog.ts';
import { storesEnvelopes } from './generated/index.ts';

const money = (m: Money) => ({ currencyCode: m.currency, amountMinor: m.amountMinor });

export function toIntegrationEvents(events: readonly StoresDomainEvent[]): OutboundMessage[] {
  return events.map(toIntegrationEvent);
}

function toIntegrationEvent(event: StoresDomainEvent): OutboundMessage {
  switch (event.kind) {
    case 'StoreCreated':
      return storesEnvelopes.publishStoreCreated({
        storeId: event.store.storeId,
        name: event.store.name,
        location: event.store.location,
        createdAt: toTimestamp(event.at),
      });
    case 'ProductAdded': {
      const p = event.product;
      return storesEnvelopes.publishProductAdded({
        productId: p.productId,
        storeId: p.storeId,
        name: p.name,
        description: p.description,
        sku: p.sku,
        price: money(p.price),
        initialStock: p.initialStock,
        addedAt: toTimestamp(event.at),
      });
    }
    case 'ProductPriceChanged': {
      const p = event.product;
      return storesEnvelopes.publishProductPriceChanged({
        productId: p.productId,
        storeId: p.storeId,
        name: p.name,
        description: p.description,
        sku: p.sku,
        price: money(p.price),
        previousPrice: money(event.previousPrice),
        changedAt: toTimestamp(event.at),
      });
    }
    case 'ProductRemoved':
      return storesEnvelopes.publishProductRemoved({
        productId: event.product.productId,
        storeId: event.product.storeId,
        removedAt: toTimestamp(event.at),
      });
  }
}
