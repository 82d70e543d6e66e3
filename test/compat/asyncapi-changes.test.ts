// AsyncAPI-level change kinds over hand-built registries: class, severity, deploy order, affected consumers.
import { describe, expect, it } from 'vitest';
import { type Change, compareProjects } from '../../src/compat/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { ceHeaders, defaultStreamSettings, event, operation, registry } from './registry-builder.ts';

async function changes(base: Registry, head: Registry): Promise<Change[]> {
  const { report } = await compareProjects({
    base: { label: 'base', root: '/nonexistent-base', registry: base },
    head: { label: 'head', root: '/nonexistent-head', registry: head },
    skipBuf: true,
    pacts: [],
  });
  return [...report.changes];
}

function only(list: Change[], ruleId: string): Change {
  const found = list.filter((c) => c.ruleId === ruleId);
  expect(
    found.map((c) => c.ruleId),
    `expected exactly one ${ruleId} in ${JSON.stringify(list.map((c) => c.ruleId))}`,
  ).toEqual([ruleId]);
  return found[0] as Change;
}

const placed = event({
  type: 'orders.v1.OrderPlaced',
  producer: 'orders',
  consumers: ['payments'],
  field: 'orderId',
});
const paid = event({
  type: 'orders.v1.OrderPaid',
  producer: 'orders',
  consumers: ['inventory'],
  field: 'orderId',
});
const base = registry({ events: [placed, paid] });

describe('AsyncAPI change classification', () => {
  it('an unchanged registry has no changes', async () => {
    expect(await changes(base, registry({ events: [placed, paid] }))).toEqual([]);
  });

  it('removed channel is breaking, affects base consumers, consumers deploy first', async () => {
    const c = only(await changes(base, registry({ events: [placed] })), 'channel-removed');
    expect(c).toMatchObject({
      class: 'breaking',
      severity: 'error',
      event: 'orders.v1.OrderPaid',
      deployOrder: 'consumers-first',
    });
    expect(c.affectedConsumers).toEqual([{ name: 'inventory', via: 'asyncapi-base', detail: 'onOrderPaid' }]);
  });

  it('removed message on a channel that stays is breaking (message-removed)', async () => {
    const other = event({
      type: 'orders.v1.OrderNoted',
      producer: 'orders',
      subject: paid.subjectPattern,
      field: 'orderId',
    });
    const list = await changes(base, registry({ events: [placed, other] }));
    // OrderNoted takes over OrderPaid's channel: a replaced payload, reported once as payload-type-changed.
    expect(only(list, 'payload-type-changed')).toMatchObject({
      class: 'breaking',
      event: 'orders.v1.OrderPaid',
    });
    const withBoth = registry({
      events: [
        placed,
        event({
          type: 'orders.v1.OrderPaid',
          producer: 'orders',
          field: 'orderId',
          subject: 'orders.order-paid.v1.{orderId}',
        }),
      ],
    });
    const dropped = await changes(
      registry({
        events: [
          placed,
          paid,
          event({
            type: 'orders.v1.Extra',
            producer: 'orders',
            subject: paid.subjectPattern,
            field: 'orderId',
          }),
        ],
      }),
      withBoth,
    );
    expect(only(dropped, 'message-removed')).toMatchObject({ class: 'breaking', event: 'orders.v1.Extra' });
  });

  it('changed address is breaking and suggests a new major side by side', async () => {
    const moved = event({
      type: 'orders.v1.OrderPlaced',
      producer: 'orders',
      consumers: ['payments'],
      subject: 'orders.placed.v1.{orderId}',
      field: 'orderId',
    });
    const c = only(await changes(base, registry({ events: [moved, paid] })), 'channel-address-changed');
    expect(c).toMatchObject({ class: 'breaking', deployOrder: 'new-major' });
    expect(c.fix).toContain('`orders.v2.OrderPlaced` on `orders.order-placed.v2.{orderId}`');
    expect(c.affectedConsumers.map((a) => `${a.name}/${a.via}`)).toEqual([
      'payments/asyncapi-head',
      'payments/asyncapi-base',
    ]);
  });

  it('renamed channel parameter is breaking (channel-parameter-renamed)', async () => {
    const renamed = event({
      type: 'orders.v1.OrderPlaced',
      producer: 'orders',
      consumers: ['payments'],
      subject: 'orders.order-placed.v1.{id}',
      field: 'orderId',
    });
    expect(
      only(await changes(base, registry({ events: [renamed, paid] })), 'channel-parameter-renamed').class,
    ).toBe('breaking');
  });

  it('parameter taking its value from another field is breaking (channel-parameter-changed)', async () => {
    const rekeyed = { ...placed, partitionKey: { parameter: 'orderId', field: 'customerId' } };
    expect(
      only(await changes(base, registry({ events: [rekeyed, paid] })), 'channel-parameter-changed').class,
    ).toBe('breaking');
  });

  it('removed parameter is breaking (channel-parameter-removed)', async () => {
    const { partitionKey: _dropped, ...rest } = placed;
    expect(
      only(await changes(base, registry({ events: [rest, paid] })), 'channel-parameter-removed').class,
    ).toBe('breaking');
  });

  it('parameter dropped from the address is channel-parameter-removed, located at the channel', async () => {
    const unkeyed = {
      ...event({
        type: 'orders.v1.OrderPlaced',
        producer: 'orders',
        consumers: ['payments'],
        subject: 'orders.order-placed.v1',
      }),
      channelLocation: {
        file: 'asyncapi/orders.yaml',
        line: 40,
        column: 5,
        pointer: '/channels/orderPlacedV1/address',
      },
    };
    const c = only(await changes(base, registry({ events: [unkeyed, paid] })), 'channel-parameter-removed');
    expect(c.message).toContain('`orderId` removed');
    expect(c.location).toMatchObject({ line: 40, column: 5 });
  });

  it('removed send operation is breaking while consumers still receive it', async () => {
    const head = registry({
      events: [placed, paid],
      deriveOperations: false,
      operations: [
        operation('payments', 'receive', placed),
        operation('orders', 'send', paid),
        operation('inventory', 'receive', paid),
      ],
    });
    const c = only(await changes(base, head), 'send-operation-removed');
    expect(c).toMatchObject({ class: 'breaking', severity: 'error', deployOrder: 'consumers-first' });
    expect(c.message).toContain('payments still receive it');
  });

  it('removed send operation without any consumer is not breaking', async () => {
    const lonely = event({ type: 'orders.v1.OrderPlaced', producer: 'orders', field: 'orderId' });
    const head = registry({ events: [lonely], deriveOperations: false });
    expect(only(await changes(registry({ events: [lonely] }), head), 'send-operation-removed').class).toBe(
      'non-breaking',
    );
  });

  it('removed receive operation is not breaking', async () => {
    const head = registry({ events: [{ ...placed, consumers: [] }, paid] });
    const c = only(await changes(base, head), 'receive-operation-removed');
    expect(c).toMatchObject({ class: 'non-breaking', severity: 'info', deployOrder: 'any' });
    expect(c.message).toContain('payments--order-placed-v1');
  });

  it('added required header is breaking; added optional header is not', async () => {
    const required = {
      ...placed,
      headers: ceHeaders(placed.type, { 'x-tenant': { type: 'string' } }, ['x-tenant']),
    };
    expect(
      only(await changes(base, registry({ events: [required, paid] })), 'header-required-added').class,
    ).toBe('breaking');
    const optional = { ...placed, headers: ceHeaders(placed.type, { 'x-tenant': { type: 'string' } }) };
    expect(only(await changes(base, registry({ events: [optional, paid] })), 'header-added')).toMatchObject({
      class: 'non-breaking',
      deployOrder: 'producers-first',
    });
  });

  it('removed declared header is breaking, consumers first', async () => {
    const headers = ceHeaders(placed.type);
    const { 'ce-source': _gone, ...props } = headers.properties as Record<string, unknown>;
    const c = only(
      await changes(
        base,
        registry({ events: [{ ...placed, headers: { ...headers, properties: props } }, paid] }),
      ),
      'header-removed',
    );
    expect(c).toMatchObject({ class: 'breaking', deployOrder: 'consumers-first' });
  });

  it('changed ce-type const is breaking', async () => {
    const wrong = { ...placed, headers: ceHeaders('orders.v1.OrderCreated') };
    expect(only(await changes(base, registry({ events: [wrong, paid] })), 'ce-type-changed').class).toBe(
      'breaking',
    );
  });

  it('changed content type is breaking', async () => {
    const json = { ...placed, contentType: 'application/json' as const };
    expect(
      only(await changes(base, registry({ events: [json, paid] })), 'content-type-changed').deployOrder,
    ).toBe('new-major');
  });

  it('changed payload type (a different proto message) is breaking', async () => {
    const other = {
      ...placed,
      payload: { ...placed.payload, messageType: 'orders.v1.OrderPlacedV2' } as typeof placed.payload,
    };
    expect(only(await changes(base, registry({ events: [other, paid] })), 'payload-type-changed').class).toBe(
      'breaking',
    );
  });

  it('renamed payload message on the same channel is one breaking payload-type-changed, not an added event', async () => {
    const renamed = event({
      type: 'orders.v1.OrderCreated',
      producer: 'orders',
      subject: placed.subjectPattern,
      field: 'orderId',
    });
    const list = await changes(base, registry({ events: [renamed, paid] }));
    expect(only(list, 'payload-type-changed').message).toContain(
      '`orders.v1.OrderCreated` instead of `orders.v1.OrderPlaced`',
    );
    expect(list.some((c) => c.ruleId === 'event-added')).toBe(false);
  });

  it('event moved to another stream is breaking', async () => {
    const moved = { ...placed, stream: 'CHECKOUT' };
    expect(only(await changes(base, registry({ events: [moved, paid] })), 'stream-changed').class).toBe(
      'breaking',
    );
  });

  it('stream retention and storage changes are breaking; shorter max age is not', async () => {
    const streams = base.streams.map((s) => ({
      ...s,
      settings: {
        ...defaultStreamSettings,
        retention: 'workqueue' as const,
        storage: 'memory' as const,
        maxAgeMs: 3_600_000,
      },
    }));
    const list = await changes(base, registry({ events: [placed, paid], streams }));
    expect(only(list, 'stream-retention-changed')).toMatchObject({
      class: 'breaking',
      stream: 'ORDERS',
      severity: 'error',
    });
    expect(only(list, 'stream-storage-changed').class).toBe('breaking');
    expect(only(list, 'stream-limits-reduced').class).toBe('non-breaking');
    // Stream-level changes list the consumers of every event in the stream.
    expect(
      only(list, 'stream-retention-changed')
        .affectedConsumers.map((a) => a.name)
        .sort(),
    ).toEqual(['inventory', 'inventory', 'payments', 'payments']);
  });

  it('renamed durable is breaking: durable names are part of the contract', async () => {
    const head = registry({
      events: [placed, paid],
      deriveOperations: false,
      operations: [
        operation('orders', 'send', placed),
        operation('orders', 'send', paid),
        operation('payments', 'receive', placed, { durable: 'payments-order-placed' }),
        operation('inventory', 'receive', paid),
      ],
    });
    const c = only(await changes(base, head), 'durable-renamed');
    expect(c).toMatchObject({ class: 'breaking', severity: 'error' });
    expect(c.fix).toContain('restore the durable name `payments--order-placed-v1`');
  });

  it("a durable's deliver policy change is listed (JetStream recreates the durable), not breaking", async () => {
    const settings = {
      ackWaitMs: 30_000,
      maxDeliver: 5,
      backoffMs: [1000],
      maxAckPending: 1000,
      ordered: false,
    };
    const withPolicy = (deliverPolicy: 'all' | 'new') =>
      registry({
        events: [placed],
        deriveOperations: false,
        operations: [
          operation('orders', 'send', placed),
          operation('payments', 'receive', placed, { consumer: { ...settings, deliverPolicy } }),
        ],
      });
    const c = only(await changes(withPolicy('all'), withPolicy('new')), 'consumer-deliver-policy-changed');
    expect(c).toMatchObject({ class: 'non-breaking', severity: 'info' });
    expect(c.message).toContain('`payments--order-placed-v1`');
  });

  it('new event and new major side by side are not breaking', async () => {
    const v2 = event({ type: 'orders.v2.OrderPlaced', producer: 'orders', field: 'orderId' });
    const refunded = event({ type: 'payments.v1.PaymentRefunded', producer: 'payments' });
    const list = await changes(base, registry({ events: [placed, paid, v2, refunded] }));
    const added = list.filter((c) => c.ruleId === 'event-added');
    expect(added.map((c) => c.class)).toEqual(['non-breaking', 'non-breaking']);
    expect(added.find((c) => c.event === 'orders.v2.OrderPlaced')?.message).toContain(
      'side by side with `orders.v1.OrderPlaced`',
    );
  });

  it('event turned into a command is breaking', async () => {
    const command = { ...placed, kind: 'command' as const };
    expect(
      only(await changes(base, registry({ events: [command, paid] })), 'message-kind-changed').class,
    ).toBe('breaking');
  });

  it('a breaking change to a reply reaches the requester; the fix names no address', async () => {
    const query = event({
      type: 'orders.v1.GetOrder',
      kind: 'query',
      producer: 'notifications',
      subject: 'query.orders.get-order.v1',
    });
    const reply = {
      ...event({ type: 'orders.v1.GetOrderReply', kind: 'query', producer: 'orders' }),
      subjectPattern: '',
      partitionKey: undefined,
      replyOf: query.type,
    };
    const ops = [
      operation('notifications', 'send', query, { requestReply: true, replyTypes: [reply.type] }),
      operation('orders', 'receive', query, {
        requestReply: true,
        replyTypes: [reply.type],
        durable: undefined,
      }),
    ];
    const b = registry({ events: [query, reply], operations: ops, deriveOperations: false });
    const h = registry({
      events: [query, { ...reply, contentType: 'application/json' as const }],
      operations: ops,
      deriveOperations: false,
    });
    const c = only(await changes(b, h), 'content-type-changed');
    expect(c.affectedConsumers.map((a) => `${a.name}:${a.detail}`)).toEqual([
      'notifications:publishGetOrder',
      'notifications:publishGetOrder',
    ]);
    expect(c.fix).toBe(
      'publish a new major version side by side: `orders.v2.GetOrderReply`; keep publishing v1 until no consumer receives it',
    );
  });

  it('breaking changes to deprecated events or unstable packages are warnings, not errors', async () => {
    const alpha = event({ type: 'orders.v1alpha1.Draft', producer: 'orders', consumers: ['payments'] });
    const b = registry({ events: [placed, alpha] });
    const { report } = await compareProjects({
      base: { label: 'base', root: '/x', registry: b },
      head: { label: 'head', root: '/y', registry: registry({ events: [placed] }) },
      skipBuf: true,
      pacts: [],
    });
    expect(report.changes.map((c) => [c.ruleId, c.severity])).toEqual([['channel-removed', 'warning']]);
    expect(report.compatible).toBe(true);
  });
});
