// Round-trip tests of the codecs and of THE proto3 JSON mapping (json-view.ts), including
// property-style runs over many random values of a message that uses every kind of field.
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  isDecodeError,
  isSchemaError,
  jsonCodec,
  protobufCodec,
  protoType,
  rfc3339ToTimestamp,
  timestampToRfc3339,
} from '../../src/runtime/index.ts';

const PROTO = `
syntax = "proto3";
package kitchen.v1;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/wrappers.proto";

enum Colour { COLOUR_UNSPECIFIED = 0; COLOUR_RED = 1; COLOUR_GREEN = 2; }
message Money { string currency_code = 1; int64 units = 2; int32 nanos = 3; }
message Line { string product_id = 1; uint32 quantity = 2; Money unit_price = 3; }

message Sink {
  string order_id = 1;
  int32 i32 = 2;
  int64 i64 = 3;
  uint32 u32 = 4;
  uint64 u64 = 5;
  sint32 s32 = 6;
  sint64 s64 = 7;
  fixed32 f32 = 8;
  fixed64 f64 = 9;
  sfixed32 sf32 = 10;
  sfixed64 sf64 = 11;
  float ratio = 12;
  double amount = 13;
  bool flag = 14;
  bytes blob = 15;
  Colour colour = 16;
  Money total = 17;
  repeated Line lines = 18;
  repeated string tags = 19;
  repeated int64 counts = 20;
  repeated Colour palette = 21;
  map<string, Money> prices = 22;
  map<int32, string> names = 23;
  google.protobuf.Timestamp placed_at = 24;
  google.protobuf.Duration ttl = 25;
  google.protobuf.StringValue nickname = 26;
  google.protobuf.Int64Value big = 27;
  optional string note = 28;
  oneof target { string email = 29; Line only_line = 30; }
  string v2_field_name = 31;
}
`;

const descriptor = protobuf.parse(PROTO, { keepCase: true }).root.toJSON() as Record<string, unknown>;
type Value = Record<string, unknown>;
const codec = protobufCodec<Value>(descriptor, 'kitchen.v1.Sink');

/** Small seeded PRNG (mulberry32) so failures are reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => Math.floor(min + next() * (max - min + 1));
  return {
    next,
    int,
    bool: () => next() < 0.5,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T,
  };
}
type Rand = ReturnType<typeof prng>;

const alphabet = ['a', 'Z', '0', ' ', 'é', '✓', '"', '\\', '\n', '𝄞', '_', '-'];
const randomString = (r: Rand) => Array.from({ length: r.int(0, 12) }, () => r.pick(alphabet)).join('');
const randomInt64 = (r: Rand) =>
  r.pick([
    0,
    1,
    -1,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_SAFE_INTEGER,
    r.int(-1e15, 1e15),
    r.int(-1000, 1000),
  ]);
const randomUint64 = (r: Rand) => r.pick([0, 1, Number.MAX_SAFE_INTEGER, r.int(0, 1e15)]);
const randomI32 = (r: Rand) => r.pick([0, 1, -1, 2147483647, -2147483648, r.int(-1e6, 1e6)]);
const randomU32 = (r: Rand) => r.pick([0, 1, 4294967295, r.int(0, 1e6)]);
const randomDouble = (r: Rand) =>
  r.pick([
    0,
    1.5,
    -2.25,
    1e300,
    -1e-300,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    (r.next() - 0.5) * 1e6,
  ]);
const randomFloat = (r: Rand) =>
  Math.fround(r.pick([0, 1.5, -2.25, 3.4e38, Number.NaN, Number.NEGATIVE_INFINITY, (r.next() - 0.5) * 1e4]));
const randomBytes = (r: Rand) => new Uint8Array(Array.from({ length: r.int(0, 9) }, () => r.int(0, 255)));
const colour = (r: Rand) => r.pick(['COLOUR_UNSPECIFIED', 'COLOUR_RED', 'COLOUR_GREEN']);
const money = (r: Rand) => ({
  currencyCode: r.pick(['EUR', 'USD', '']),
  units: randomInt64(r),
  nanos: r.int(-999_999_999, 999_999_999),
});
const line = (r: Rand): Value => {
  const l: Value = { productId: randomString(r), quantity: randomU32(r) };
  if (r.bool()) l.unitPrice = money(r);
  return l;
};

/** A random value in the runtime shape, with every non-presence field present (as decode returns it). */
function randomSink(r: Rand): Value {
  const v: Value = {
    orderId: randomString(r),
    i32: randomI32(r),
    i64: randomInt64(r),
    u32: randomU32(r),
    u64: randomUint64(r),
    s32: randomI32(r),
    s64: randomInt64(r),
    f32: randomU32(r),
    f64: randomUint64(r),
    sf32: randomI32(r),
    sf64: randomInt64(r),
    ratio: randomFloat(r),
    amount: randomDouble(r),
    flag: r.bool(),
    blob: randomBytes(r),
    colour: colour(r),
    lines: Array.from({ length: r.int(0, 3) }, () => line(r)),
    tags: Array.from({ length: r.int(0, 3) }, () => randomString(r)),
    counts: Array.from({ length: r.int(0, 3) }, () => randomInt64(r)),
    palette: Array.from({ length: r.int(0, 3) }, () => colour(r)),
    prices: Object.fromEntries(Array.from({ length: r.int(0, 3) }, () => [randomString(r), money(r)])),
    names: Object.fromEntries(
      Array.from({ length: r.int(0, 3) }, () => [String(randomI32(r)), randomString(r)]),
    ),
    v2FieldName: randomString(r),
  };
  if (r.bool()) v.total = money(r);
  if (r.bool())
    v.placedAt = {
      seconds: r.int(-62135596800, 253402300799),
      nanos: r.pick([0, 1, 5_000_000, 123_456_000, 999_999_999]),
    };
  if (r.bool()) {
    const seconds = r.int(-315576000000, 315576000000);
    const nanos =
      seconds === 0 ? r.int(-999_999_999, 999_999_999) : Math.sign(seconds) * r.int(0, 999_999_999);
    v.ttl = { seconds, nanos };
  }
  if (r.bool()) v.nickname = { value: randomString(r) };
  if (r.bool()) v.big = { value: randomInt64(r) };
  if (r.bool()) v.note = randomString(r);
  const target = r.int(0, 2);
  if (target === 1) v.email = randomString(r);
  if (target === 2) v.onlyLine = line(r);
  return v;
}

const RUNS = 300;

describe('protobuf codec value shape', () => {
  it('uses JSON names, numbers for int64, enum names, Uint8Array bytes and fills defaults on decode', () => {
    const decoded = codec.decode(codec.encode({ orderId: 'ord_1', i64: 42 }));
    expect(decoded).toMatchObject({
      orderId: 'ord_1',
      i64: 42,
      colour: 'COLOUR_UNSPECIFIED',
      flag: false,
      tags: [],
      prices: {},
      v2FieldName: '',
    });
    expect(decoded.blob).toBeInstanceOf(Uint8Array);
    expect(Object.getPrototypeOf(decoded.blob)).toBe(Uint8Array.prototype);
    // Unset messages, `optional` and oneof members stay absent.
    for (const key of ['total', 'placedAt', 'ttl', 'nickname', 'note', 'email', 'onlyLine'])
      expect(decoded).not.toHaveProperty(key);
  });

  it(`value → bytes → value over ${RUNS} random values`, () => {
    const r = prng(1);
    for (let i = 0; i < RUNS; i++) {
      const value = randomSink(r);
      expect(codec.validate(value)).toEqual([]);
      expect(codec.decode(codec.encode(value)), `run ${i}`).toEqual(value);
    }
  });

  it(`value → JSON → value and JSON → value → JSON over ${RUNS} random values`, () => {
    const r = prng(2);
    for (let i = 0; i < RUNS; i++) {
      const value = randomSink(r);
      const json = codec.toJson(value);
      // The JSON view must survive real serialisation.
      const text = JSON.parse(JSON.stringify(json));
      expect(text, `run ${i}`).toEqual(json);
      const back = codec.fromJson(text);
      expect(back, `run ${i}`).toEqual(value);
      expect(codec.toJson(back), `run ${i}`).toEqual(json);
    }
  });
});

describe('proto3 canonical JSON view', () => {
  it('writes int64 as strings, enums by name, bytes as base64, well-known types in their JSON form, defaults included', () => {
    const json = codec.toJson({
      orderId: 'ord_1',
      i64: 9007199254740991,
      blob: new Uint8Array([0, 255, 16]),
      colour: 'COLOUR_RED',
      amount: Number.NaN,
      placedAt: { seconds: 1_700_000_000, nanos: 120_000_000 },
      ttl: { seconds: -1, nanos: -500_000_000 },
      nickname: { value: 'bob' },
      big: { value: -7 },
      email: 'a@b.c',
      names: { '5': 'five' },
    }) as Value;
    expect(json).toMatchObject({
      orderId: 'ord_1',
      i64: '9007199254740991',
      u64: '0',
      i32: 0,
      blob: 'AP8Q',
      colour: 'COLOUR_RED',
      amount: 'NaN',
      placedAt: '2023-11-14T22:13:20.120Z',
      ttl: '-1.500s',
      nickname: 'bob',
      big: '-7',
      email: 'a@b.c',
      names: { '5': 'five' },
      tags: [],
      prices: {},
      v2FieldName: '',
    });
    expect(json).not.toHaveProperty('total');
    expect(json).not.toHaveProperty('note');
    expect(json).not.toHaveProperty('onlyLine');
  });

  it('reads proto field names, enum numbers, numeric int64, URL-safe base64, any RFC 3339 offset, and null as unset', () => {
    const value = codec.fromJson({
      order_id: 'ord_2',
      i64: 12,
      u64: '13',
      colour: 2,
      blob: '_-8',
      placed_at: '2024-01-31T13:00:00.5+01:00',
      total: null,
      v2_field_name: 'x',
    });
    expect(value).toMatchObject({
      orderId: 'ord_2',
      i64: 12,
      u64: 13,
      colour: 'COLOUR_GREEN',
      v2FieldName: 'x',
      placedAt: { seconds: 1706702400, nanos: 500_000_000 },
    });
    expect(Array.from(value.blob as Uint8Array)).toEqual([255, 239]);
    expect(value).not.toHaveProperty('total');
  });

  it('rejects JSON that does not fit with every problem and its path (SchemaError)', () => {
    let error: unknown;
    try {
      codec.fromJson({
        orderId: 5,
        i32: 2147483648,
        colour: 'PURPLE',
        lines: [{ quantity: -1 }],
        placedAt: 'yesterday',
        nope: true,
        email: 'a',
        onlyLine: {},
      });
    } catch (e) {
      error = e;
    }
    expect(isSchemaError(error)).toBe(true);
    const problems = isSchemaError(error) ? error.problems.join('\n') : '';
    expect(problems).toContain('orderId: expected a string');
    expect(problems).toContain('i32: 2147483648 is out of int32 range');
    expect(problems).toContain('colour: expected one of COLOUR_UNSPECIFIED, COLOUR_RED, COLOUR_GREEN');
    expect(problems).toContain('lines[0].quantity: -1 is out of uint32 range');
    expect(problems).toContain('placedAt: expected an RFC 3339 time');
    expect(problems).toContain('nope: unknown field of kitchen.v1.Sink');
    expect(problems).toContain('more than one field of oneof target');
  });

  it('formats and parses RFC 3339 timestamps with 0, 3, 6 or 9 fraction digits', () => {
    expect(timestampToRfc3339(0, 0)).toBe('1970-01-01T00:00:00Z');
    expect(timestampToRfc3339(0, 1_000_000)).toBe('1970-01-01T00:00:00.001Z');
    expect(timestampToRfc3339(0, 1_000)).toBe('1970-01-01T00:00:00.000001Z');
    expect(timestampToRfc3339(0, 1)).toBe('1970-01-01T00:00:00.000000001Z');
    expect(timestampToRfc3339(-1, 0)).toBe('1969-12-31T23:59:59Z');
    expect(rfc3339ToTimestamp('0001-01-01T00:00:00Z')).toEqual({ seconds: -62135596800, nanos: 0 });
    expect(rfc3339ToTimestamp('9999-12-31T23:59:59.999999999Z')).toEqual({
      seconds: 253402300799,
      nanos: 999_999_999,
    });
    expect(rfc3339ToTimestamp('2024-02-30')).toBeUndefined();
  });
});

describe('protobuf codec errors', () => {
  it('throws a DecodeError (permanent) on bytes that are not the message', () => {
    let error: unknown;
    try {
      codec.decode(new Uint8Array([0x0a, 0xff, 0xff, 0xff]));
    } catch (e) {
      error = e;
    }
    expect(isDecodeError(error)).toBe(true);
  });

  it('lists problems of a value before it is sent', () => {
    expect(
      codec.validate({ orderId: 1, i64: 2 ** 60, blob: 'text', colour: 'NOPE', lines: 'x', extra: 1 }),
    ).toEqual([
      'orderId: expected a string, got number 1',
      'i64: 1152921504606847000 is beyond ±2^53',
      'blob: expected a Uint8Array, got string "text"',
      'colour: expected one of COLOUR_UNSPECIFIED, COLOUR_RED, COLOUR_GREEN, got "NOPE"',
      'lines: expected an array, got string "x"',
      'extra: unknown field of kitchen.v1.Sink',
    ]);
  });

  it('resolves message types by full name, with or without a leading dot', () => {
    expect(protoType(descriptor, 'kitchen.v1.Line').fieldsArray.map((f) => f.name)).toEqual([
      'productId',
      'quantity',
      'unitPrice',
    ]);
    expect(protoType(descriptor, '.kitchen.v1.Money').name).toBe('Money');
  });
});

describe('json codec', () => {
  const schema = {
    type: 'object',
    required: ['orderId', 'at'],
    additionalProperties: false,
    properties: {
      orderId: { type: 'string', minLength: 1 },
      at: { type: 'string', format: 'date-time' },
      qty: { type: 'integer' },
    },
  };
  const json = jsonCodec<{ orderId: string; at: string; qty?: number }>(schema, 'shop.v1.Thing');

  it('round-trips valid values through bytes and the JSON view', () => {
    const value = { orderId: 'o1', at: '2024-01-01T00:00:00Z', qty: 3 };
    expect(json.contentType).toBe('application/json');
    expect(json.decode(json.encode(value))).toEqual(value);
    expect(json.fromJson(json.toJson(value))).toEqual(value);
    expect(json.validate(value)).toEqual([]);
  });

  it('reports schema violations (SchemaError) and bad bytes (DecodeError)', () => {
    expect(json.validate({ orderId: '', at: 'nope', extra: 1 })).toEqual(
      expect.arrayContaining([
        '/orderId: must NOT have fewer than 1 characters',
        '/at: must match format "date-time"',
      ]),
    );
    expect(() => json.decode(new TextEncoder().encode('{"orderId":'))).toThrowError(
      /cannot decode shop.v1.Thing/,
    );
    try {
      json.decode(new TextEncoder().encode('{"orderId":"x"}'));
    } catch (e) {
      expect(isSchemaError(e)).toBe(true);
    }
    expect(() => json.fromJson({ orderId: 'x' })).toThrowError(/must have required property 'at'/);
  });
});
