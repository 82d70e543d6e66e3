// Protobuf change kinds through the real buf (WIRE_JSON) over before/after proto trees written to a temp dir.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Change, compareProjects, isCompatError, type PactInteraction } from '../../src/compat/index.ts';
import type { FieldModel } from '../../src/model/types.ts';
import { event, field, registry } from './registry-builder.ts';

const BASE_PROTO = `syntax = "proto3";
package orders.v1;

import "common/v1/money.proto";

message OrderPlaced {
  string order_id = 1;
  string customer_id = 2;
  int64 placed_at_ms = 3;
  OrderStatus status = 4;
  repeated Line lines = 5;
  common.v1.Money total = 6;
  oneof payment {
    string card_token = 7;
  }
  string voucher = 8;
}

message Line {
  string sku = 1;
  int32 quantity = 2;
}

enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  ORDER_STATUS_PLACED = 1;
  ORDER_STATUS_HELD = 2;
}
`;

const MONEY = `syntax = "proto3";
package common.v1;

message Money {
  string currency = 1;
  int64 units = 2;
}
`;

const statusValues = (names: string[]) => names.map((name, number) => ({ name, number }));

function orderFields(overrides: { status?: string[]; extra?: FieldModel[] } = {}): FieldModel[] {
  return [
    field('orderId', 1),
    field('customerId', 2),
    field('placedAtMs', 3, 'int64'),
    field('status', 4, 'orders.v1.OrderStatus', {
      kind: 'enum',
      enumValues: statusValues(
        overrides.status ?? ['ORDER_STATUS_UNSPECIFIED', 'ORDER_STATUS_PLACED', 'ORDER_STATUS_HELD'],
      ),
    }),
    field('lines', 5, 'orders.v1.Line', {
      kind: 'message',
      repeated: true,
      fields: [field('sku', 1), field('quantity', 2, 'int32')],
    }),
    field('total', 6, 'common.v1.Money', {
      kind: 'message',
      fields: [field('currency', 1), field('units', 2, 'int64')],
    }),
    field('cardToken', 7),
    field('voucher', 8),
    ...(overrides.extra ?? []),
  ];
}

let scratch: string;
let counter = 0;

async function project(files: Record<string, string>): Promise<string> {
  counter += 1;
  const root = path.join(scratch, `p${counter}`);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), text);
  }
  return root;
}

const protoFiles = (orders: string) => ({
  'contracts/proto/orders/v1/events.proto': orders,
  'contracts/proto/common/v1/money.proto': MONEY,
});

function orderRegistry(root: string, fields: FieldModel[]) {
  const placed = event({
    type: 'orders.v1.OrderPlaced',
    producer: 'orders',
    consumers: ['payments', 'inventory'],
    fields,
    field: 'orderId',
  });
  const r = registry({ events: [placed], root });
  return {
    ...r,
    protoFiles: [
      {
        file: 'contracts/proto/orders/v1/events.proto',
        importPath: 'orders/v1/events.proto',
        package: 'orders.v1',
        source: '',
        messages: ['orders.v1.OrderPlaced', 'orders.v1.Line'],
        imports: ['common/v1/money.proto'],
      },
      {
        file: 'contracts/proto/common/v1/money.proto',
        importPath: 'common/v1/money.proto',
        package: 'common.v1',
        source: '',
        messages: ['common.v1.Money'],
        imports: [],
      },
    ],
  };
}

const pacts: PactInteraction[] = [
  {
    consumer: 'payments',
    provider: 'orders',
    description: 'an OrderPlaced event with a total',
    body: { orderId: 'ord_1', customerId: 'c_1', total: { currency: 'EUR', units: '12' } },
    metadata: { 'ce-type': 'orders.v1.OrderPlaced' },
    file: 'contracts/pacts/payments-orders.json',
  },
  {
    consumer: 'inventory',
    provider: 'orders',
    description: 'an OrderPlaced event with lines',
    body: { orderId: 'ord_1', lines: [{ sku: 'sku_1', quantity: 2 }] },
    metadata: { 'ce-type': 'orders.v1.OrderPlaced' },
    file: 'contracts/pacts/inventory-orders.json',
  },
];

async function compareProto(
  headProto: string,
  options: { headFields?: FieldModel[]; money?: string; bufYaml?: string } = {},
): Promise<Change[]> {
  const baseRoot = await project(protoFiles(BASE_PROTO));
  const headRoot = await project({
    ...protoFiles(headProto),
    ...(options.money ? { 'contracts/proto/common/v1/money.proto': options.money } : {}),
    ...(options.bufYaml ? { 'contracts/proto/buf.yaml': options.bufYaml } : {}),
  });
  const { report } = await compareProjects({
    base: { label: 'base', root: baseRoot, registry: orderRegistry(baseRoot, orderFields()) },
    head: {
      label: 'head',
      root: headRoot,
      registry: orderRegistry(headRoot, options.headFields ?? orderFields()),
    },
    pacts,
  });
  return [...report.changes];
}

const rules = (list: Change[]) => list.map((c) => `${c.ruleId}:${c.class}`);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-compat-proto-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('protobuf changes (buf breaking, WIRE_JSON)', () => {
  it('identical trees: no change', async () => {
    expect(await compareProto(BASE_PROTO)).toEqual([]);
  });

  it('field removed without reserving: breaking, located in head, touches the pact that reads it', async () => {
    const list = await compareProto(BASE_PROTO.replace('  string customer_id = 2;\n', ''));
    expect(rules(list)).toEqual([
      'buf/FIELD_NO_DELETE_UNLESS_NAME_RESERVED:breaking',
      'buf/FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED:breaking',
    ]);
    const c = list[0] as Change;
    expect(c).toMatchObject({
      event: 'orders.v1.OrderPlaced',
      severity: 'error',
      deployOrder: 'new-major',
      fieldPaths: ['customerId'],
    });
    expect(c.location).toMatchObject({ file: 'contracts/proto/orders/v1/events.proto', line: 6 });
    expect(c.affectedConsumers).toEqual([
      { name: 'inventory', via: 'asyncapi-head', detail: 'onOrderPlaced' },
      { name: 'payments', via: 'asyncapi-head', detail: 'onOrderPlaced' },
      { name: 'inventory', via: 'asyncapi-base', detail: 'onOrderPlaced' },
      { name: 'payments', via: 'asyncapi-base', detail: 'onOrderPlaced' },
      // Only the payments interaction carries customerId.
      { name: 'payments', via: 'pact', detail: 'an OrderPlaced event with a total' },
    ]);
    expect(c.fix).toContain('`orders.v2.OrderPlaced` on `orders.order-placed.v2.{orderId}`');
  });

  it('field removed with reserved number and name: not reported', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('  string customer_id = 2;\n', '  reserved 2;\n  reserved "customer_id";\n'),
    );
    expect(list).toEqual([]);
  });

  it('field number changed: breaking', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('string customer_id = 2;', 'string customer_id = 12;'),
    );
    expect(rules(list)).toContain('buf/FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED:breaking');
    expect(list.every((c) => c.class === 'breaking' || c.ruleId === 'proto/field-added')).toBe(true);
  });

  it('field type changed: breaking (FIELD_WIRE_JSON_COMPATIBLE_TYPE)', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('int64 placed_at_ms = 3;', 'string placed_at_ms = 3;'),
    );
    expect(rules(list)).toEqual(['buf/FIELD_WIRE_JSON_COMPATIBLE_TYPE:breaking']);
    expect(list[0]?.fieldPaths).toEqual(['placedAtMs']);
  });

  it('json_name changed: breaking (the JSON view is part of the contract)', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('string customer_id = 2;', 'string customer_id = 2 [json_name = "customer"];'),
    );
    expect(rules(list)).toEqual(['buf/FIELD_SAME_JSON_NAME:breaking']);
  });

  it('field renamed: breaking under WIRE_JSON (name and JSON name change)', async () => {
    const list = await compareProto(BASE_PROTO.replace('string customer_id = 2;', 'string buyer_id = 2;'));
    expect(rules(list)).toEqual(['buf/FIELD_SAME_JSON_NAME:breaking', 'buf/FIELD_SAME_NAME:breaking']);
    expect(list[0]?.fix).toContain('keep the field name');
  });

  it('enum value removed: breaking', async () => {
    const list = await compareProto(BASE_PROTO.replace('  ORDER_STATUS_HELD = 2;\n', ''), {
      headFields: orderFields({ status: ['ORDER_STATUS_UNSPECIFIED', 'ORDER_STATUS_PLACED'] }),
    });
    expect(rules(list)).toEqual([
      'buf/ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED:breaking',
      'buf/ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED:breaking',
    ]);
    expect(list[0]?.fieldPaths).toEqual(['status']);
  });

  it('enum value added: non-breaking, consumers deploy first', async () => {
    const list = await compareProto(
      BASE_PROTO.replace(
        '  ORDER_STATUS_HELD = 2;\n',
        '  ORDER_STATUS_HELD = 2;\n  ORDER_STATUS_FLAGGED = 3;\n',
      ),
      {
        headFields: orderFields({
          status: [
            'ORDER_STATUS_UNSPECIFIED',
            'ORDER_STATUS_PLACED',
            'ORDER_STATUS_HELD',
            'ORDER_STATUS_FLAGGED',
          ],
        }),
      },
    );
    expect(list.map((c) => [c.ruleId, c.class, c.deployOrder, c.severity])).toEqual([
      ['proto/enum-value-added', 'non-breaking', 'consumers-first', 'info'],
    ]);
    // Consumers-first changes name who deploys first.
    expect([...new Set(list[0]?.affectedConsumers.map((a) => a.name))]).toEqual(['inventory', 'payments']);
  });

  it('field added: non-breaking, consumers deploy first', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('  string voucher = 8;\n', '  string voucher = 8;\n  string channel = 9;\n'),
      {
        headFields: orderFields({ extra: [field('channel', 9)] }),
      },
    );
    expect(list.map((c) => [c.ruleId, c.class, c.deployOrder])).toEqual([
      ['proto/field-added', 'non-breaking', 'consumers-first'],
    ]);
  });

  it('nested message renamed: breaking (field type changes)', async () => {
    const list = await compareProto(
      BASE_PROTO.replace('repeated Line lines = 5;', 'repeated Item lines = 5;').replace(
        'message Line {',
        'message Item {',
      ),
    );
    expect(rules(list)).toContain('buf/FIELD_WIRE_JSON_COMPATIBLE_TYPE:breaking');
    expect(list.find((c) => c.ruleId === 'buf/FIELD_WIRE_JSON_COMPATIBLE_TYPE')?.fieldPaths).toEqual([
      'lines',
    ]);
  });

  it('field moved into a oneof: breaking (FIELD_SAME_ONEOF)', async () => {
    const list = await compareProto(
      BASE_PROTO.replace(
        '    string card_token = 7;\n  }\n  string voucher = 8;',
        '    string card_token = 7;\n    string voucher = 8;\n  }',
      ),
    );
    expect(rules(list)).toEqual(['buf/FIELD_SAME_ONEOF:breaking']);
    expect(list[0]?.fieldPaths).toEqual(['voucher']);
  });

  it('field removed from a nested message: path inside the array, only the interaction carrying it', async () => {
    const list = await compareProto(BASE_PROTO.replace('  int32 quantity = 2;\n', ''));
    expect(list[0]?.fieldPaths).toEqual(['lines[].quantity']);
    expect(list[0]?.affectedConsumers.filter((a) => a.via === 'pact').map((a) => a.name)).toEqual([
      'inventory',
    ]);
  });

  it('a change in a shared imported type reaches the events that use it', async () => {
    const list = await compareProto(BASE_PROTO, {
      money: MONEY.replace('int64 units = 2;', 'int32 units = 2;'),
    });
    expect(list.map((c) => [c.ruleId, c.event, c.location?.file, c.fieldPaths])).toEqual([
      [
        'buf/FIELD_WIRE_JSON_COMPATIBLE_TYPE',
        'orders.v1.OrderPlaced',
        'contracts/proto/common/v1/money.proto',
        ['total.units'],
      ],
    ]);
    expect(list[0]?.affectedConsumers.filter((a) => a.via === 'pact').map((a) => a.name)).toEqual([
      'payments',
    ]);
  });

  it("the project's buf.yaml cannot swap the rule set, but its breaking.except / ignore are honoured", async () => {
    const renamed = BASE_PROTO.replace('string customer_id = 2;', 'string buyer_id = 2;');
    const fileRules = 'version: v2\nbreaking:\n  use: [FILE]\n  except: [FIELD_SAME_NAME]\n';
    expect(rules(await compareProto(renamed, { bufYaml: fileRules }))).toEqual([
      'buf/FIELD_SAME_JSON_NAME:breaking',
    ]);
    const ignored = 'version: v2\nbreaking:\n  ignore: [orders/v1/events.proto]\n';
    expect(await compareProto(renamed, { bufYaml: ignored })).toEqual([]);
  });

  it('a head that does not compile is bad input with file:line', async () => {
    const error = await compareProto(BASE_PROTO.replace('string voucher = 8;', 'strin voucher = 8;')).catch(
      (e: unknown) => e,
    );
    expect(isCompatError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/contracts\/proto\/orders\/v1\/events\.proto:\d+:\d+/);
  });
});
