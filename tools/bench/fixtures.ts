// The event every runtime benchmark moves: an OrderPlaced with two lines, money and a timestamp, through the
// protobuf codec (one definition, so runtime.ts, router-overhead.ts and envelope.ts measure the same bytes).
import protobuf from 'protobufjs';
import { type EventDescriptor, protobufCodec } from '../../src/runtime/index.ts';

const PROTO = `syntax = "proto3"; package bench.v1;
import "google/protobuf/timestamp.proto";
message Money { string currency_code = 1; int64 units = 2; int32 nanos = 3; }
message OrderLine { string product_id = 1; int32 quantity = 2; Money unit_price = 3; }
message OrderPlaced { string order_id = 1; string customer_id = 2; string store_id = 3; repeated OrderLine lines = 4; Money total = 5; google.protobuf.Timestamp placed_at = 6; }`;
const descriptorJson = protobuf.parse(PROTO, { keepCase: true }).root.toJSON() as Record<string, unknown>;

export interface OrderPlaced {
  orderId: string;
  customerId: string;
  storeId: string;
  lines: {
    productId: string;
    quantity: number;
    unitPrice?: { currencyCode: string; units: number; nanos: number };
  }[];
  total?: { currencyCode: string; units: number; nanos: number };
  placedAt?: { seconds: number; nanos: number };
}

/** The descriptor on subjects `<context>.order-placed.v1.{orderId}` in stream `<CONTEXT>`. */
export function benchDescriptor(context: string): EventDescriptor<OrderPlaced> {
  return {
    type: 'bench.v1.OrderPlaced',
    kind: 'event',
    context,
    name: 'OrderPlaced',
    major: 1,
    subjectPattern: `${context}.order-placed.v1.{orderId}`,
    subjectFilter: `${context}.order-placed.v1.>`,
    stream: context.toUpperCase(),
    partitionKey: { parameter: 'orderId', field: 'orderId' },
    codec: protobufCodec<OrderPlaced>(descriptorJson, 'bench.v1.OrderPlaced'),
  };
}

export const benchOrder = (i: number): OrderPlaced => ({
  orderId: `ord_${i}`,
  customerId: 'cus_1',
  storeId: 'sto_1',
  lines: [
    { productId: 'p1', quantity: 2, unitPrice: { currencyCode: 'EUR', units: 9, nanos: 990_000_000 } },
    { productId: 'p2', quantity: 1, unitPrice: { currencyCode: 'EUR', units: 4, nanos: 500_000_000 } },
  ],
  total: { currencyCode: 'EUR', units: 24, nanos: 480_000_000 },
  placedAt: { seconds: 1_700_000_000, nanos: 0 },
});
