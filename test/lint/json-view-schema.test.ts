// The JSON Schema of the proto3 canonical JSON view, checked with ajv against values a proto3 JSON
// encoder produces (and ones it never would), and the standalone descriptor round trip.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { jsonViewSchema, protoDescriptor, protoFieldModels } from '../../src/model/index.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const common = `syntax = "proto3";
package common.v1;
// An amount of money.
message Money {
  string currency_code = 1;
  int64 units = 2;
}
`;

const events = `syntax = "proto3";
package shop.v1;
import "common/v1/money.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";

// A line of an order.
message Line {
  string sku = 1;
  uint32 quantity = 2;
}

enum Channel {
  CHANNEL_UNSPECIFIED = 0;
  // Bought online.
  CHANNEL_WEB = 1;
}

// Everything at once.
message Everything {
  // The order id.
  string order_id = 1;
  int64 big = 2;
  uint64 ubig = 3;
  int32 small = 4;
  double ratio = 5;
  bool flag = 6;
  bytes blob = 7;
  Channel channel = 8;
  repeated Line lines = 9;
  map<string, int32> counts = 10;
  common.v1.Money total = 11;
  google.protobuf.Timestamp placed_at = 12;
  google.protobuf.Duration ttl = 13;
  google.protobuf.StringValue note = 14;
  string old_field = 15 [deprecated = true];
  Node tree = 16;
}

message Node {
  string name = 1;
  repeated Node children = 2;
}
`;

function loadEverything(): protobuf.Type {
  const root = new protobuf.Root();
  for (const name of [
    'google/protobuf/timestamp.proto',
    'google/protobuf/duration.proto',
    'google/protobuf/wrappers.proto',
  ]) {
    root.addJSON((protobuf.common.get(name) as protobuf.INamespace).nested ?? {});
  }
  protobuf.parse(common, root, { keepCase: true, alternateCommentMode: true });
  protobuf.parse(events, root, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return root.lookupType('shop.v1.Everything');
}

const type = loadEverything();
const schema = jsonViewSchema(type);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const { $schema: _draft, ...compilable } = schema as Record<string, unknown>;
const validate = ajv.compile(compilable);

const valid = {
  orderId: 'ord_1',
  big: '-9007199254740993',
  ubig: '18446744073709551615',
  small: 42,
  ratio: 0.5,
  flag: true,
  blob: 'aGVsbG8=',
  channel: 'CHANNEL_WEB',
  lines: [{ sku: 'A-1', quantity: 2 }],
  counts: { apples: 3 },
  total: { currencyCode: 'EUR', units: '12' },
  placedAt: '2026-11-22T05:40:00.123Z',
  ttl: '1.5s',
  note: null,
  tree: { name: 'root', children: [{ name: 'leaf', children: [] }] },
};

describe('jsonViewSchema', () => {
  it('accepts a canonical proto3 JSON value', () => {
    expect(validate(valid), JSON.stringify(validate.errors)).toBe(true);
  });

  it('uses lowerCamelCase JSON names and rejects unknown (snake_case) names', () => {
    expect(Object.keys((schema.properties ?? {}) as object)).toContain('placedAt');
    expect(validate({ order_id: 'x' })).toBe(false);
  });

  it.each([
    ['int64 as a number is accepted', { big: 12 }, true],
    ['int64 with letters is rejected', { big: '12a' }, false],
    ['uint64 negative is rejected', { ubig: '-1' }, false],
    ['int32 as a string is rejected', { small: '1' }, false],
    ['int32 out of range is rejected', { small: 2 ** 31 }, false],
    ['double NaN string is accepted', { ratio: 'NaN' }, true],
    ['enum by number is rejected (names only)', { channel: 1 }, false],
    ['unknown enum name is rejected', { channel: 'CHANNEL_FAX' }, false],
    ['bytes that are not base64 are rejected', { blob: 'not base64!' }, false],
    ['Timestamp must be RFC 3339', { placedAt: '22/11/2026' }, false],
    ['Duration must end in s', { ttl: '5m' }, false],
    ['wrapper takes its plain value', { note: 'hello' }, true],
    ['map values are typed', { counts: { apples: 'three' } }, false],
    ['repeated must be an array', { lines: { sku: 'x' } }, false],
    ['nested messages are closed', { total: { currencyCode: 'EUR', cents: 1 } }, false],
    ['recursive types validate deeply', { tree: { name: 'a', children: [{ name: 1 }] } }, false],
  ])('%s', (_name, value, expected) => {
    expect(validate(value)).toBe(expected);
  });

  it('carries doc comments and deprecation', () => {
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(schema.description).toBe('Everything at once.');
    expect(properties.orderId?.description).toBe('The order id.');
    expect(properties.oldField?.deprecated).toBe(true);
  });

  it('puts recursive types in definitions and references them', () => {
    expect(Object.keys((schema.definitions ?? {}) as object)).toEqual(['shop.v1.Node']);
  });
});

describe('protoFieldModels', () => {
  const fields = protoFieldModels(type, () => undefined);
  const byName = (name: string) => fields.find((f) => f.name === name);

  it('describes every field in its JSON view', () => {
    expect(byName('orderId')).toMatchObject({
      protoName: 'order_id',
      number: 1,
      kind: 'scalar',
      type: 'string',
      repeated: false,
      required: false,
      description: 'The order id.',
    });
    expect(byName('lines')).toMatchObject({ kind: 'message', type: 'shop.v1.Line', repeated: true });
    expect(byName('lines')?.fields?.map((f) => f.name)).toEqual(['sku', 'quantity']);
    expect(byName('counts')).toMatchObject({ kind: 'map', type: 'map<string, int32>', repeated: false });
    expect(byName('channel')?.enumValues).toEqual([
      { name: 'CHANNEL_UNSPECIFIED', number: 0 },
      { name: 'CHANNEL_WEB', number: 1, description: 'Bought online.' },
    ]);
    expect(byName('placedAt')).toMatchObject({ kind: 'scalar', type: 'google.protobuf.Timestamp' });
    expect(byName('oldField')?.deprecated).toBe(true);
  });

  it('stops at recursion', () => {
    const tree = byName('tree');
    expect(tree?.fields?.find((f) => f.name === 'children')?.fields).toBeUndefined();
  });
});

describe('protoDescriptor', () => {
  it('encodes and decodes standalone, with imported and well-known types', () => {
    const descriptor = protoDescriptor(type);
    const standalone = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
    const Everything = standalone.lookupType('shop.v1.Everything');
    const message = Everything.fromObject({
      order_id: 'ord_1',
      total: { currency_code: 'EUR', units: 12 },
      lines: [{ sku: 'A', quantity: 1 }],
      placed_at: { seconds: 100, nanos: 5 },
      tree: { name: 'r', children: [{ name: 'c' }] },
    });
    const decoded = Everything.toObject(Everything.decode(Everything.encode(message).finish()), {
      longs: String,
    }) as Record<string, unknown>;
    expect(decoded).toMatchObject({
      order_id: 'ord_1',
      total: { currency_code: 'EUR', units: '12' },
      placed_at: { seconds: '100', nanos: 5 },
    });
    // Bytes are identical to what the full root encodes.
    const full = type
      .encode(type.fromObject({ order_id: 'ord_1', total: { currency_code: 'EUR', units: 12 } }))
      .finish();
    const alone = Everything.encode(
      Everything.fromObject({ order_id: 'ord_1', total: { currency_code: 'EUR', units: 12 } }),
    ).finish();
    expect(Buffer.from(alone).equals(Buffer.from(full))).toBe(true);
  });
});
