// loadRegistry on small projects: the eventkit mini shop (protobuf) and a foreign AsyncAPI document.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  consumersOf,
  defaultConsumerSettings,
  defaultStreamSettings,
  eventByType,
  lint,
  loadConfig,
  loadProject,
  loadRegistry,
  operationsOf,
  serviceById,
} from '../../src/model/index.ts';
import { repoRoot } from './run-cli.ts';

const miniShop = path.join(repoRoot, 'test/lint/fixtures/mini-shop');
const foreign = path.join(repoRoot, 'test/fixtures/foreign');
const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

describe('loadRegistry on the mini shop', async () => {
  const result = await loadProject(miniShop);
  const { registry } = result;

  it('loads without diagnostics and lints clean', async () => {
    expect(result.diagnostics).toEqual([]);
    expect(await lint(result, { buf: false })).toEqual([]);
  });

  it('builds services and operations', () => {
    expect(registry.services.map((s) => [s.id, s.context, s.document.file])).toEqual([
      ['billing', 'billing', 'asyncapi/billing.yaml'],
      ['shop', 'shop', 'asyncapi/shop.yaml'],
    ]);
    expect(serviceById(registry, 'shop')?.sends).toEqual(['shop.publishOrderPlaced']);
    expect(operationsOf(registry, 'billing').map((o) => o.id)).toEqual(['billing.onOrderPlaced']);
  });

  it('builds the event from the proto message', () => {
    const event = eventByType(registry, 'shop.v1.OrderPlaced');
    expect(event).toMatchObject({
      kind: 'event',
      name: 'OrderPlaced',
      kebab: 'order-placed',
      context: 'shop',
      major: 1,
      package: 'shop.v1',
      subjectPattern: 'shop.order-placed.v1.{orderId}',
      subjectFilter: 'shop.order-placed.v1.>',
      partitionKey: { parameter: 'orderId', field: 'orderId', description: 'The order id.' },
      stream: 'SHOP',
      contentType: 'application/protobuf',
      producer: 'shop',
      consumers: ['billing'],
      description: 'An order was placed.',
      location: { file: 'asyncapi/shop.yaml', line: 24, pointer: '/components/messages/OrderPlacedV1' },
      channelLocation: { file: 'asyncapi/shop.yaml', line: 8 },
    });
    expect(event?.payload.kind === 'protobuf' && event.payload.protoFile).toBe('proto/shop/v1/events.proto');
    expect(event?.payload.fields.map((f) => [f.name, f.type, f.description, f.location?.line])).toEqual([
      ['orderId', 'string', 'The order id.', 8],
      ['totalCents', 'int64', 'Total in cents.', 10],
      ['status', 'shop.v1.Status', undefined, 11],
    ]);
    expect(event?.examples).toEqual([
      {
        name: 'placed',
        payload: { orderId: 'ord_1', totalCents: '1250', status: 'STATUS_OPEN' },
        headers: { 'ce-id': '0b6f7c1e', 'ce-type': 'shop.v1.OrderPlaced' },
        location: {
          file: 'asyncapi/shop.yaml',
          line: 40,
          column: 11,
          pointer: '/components/messages/OrderPlacedV1/examples/0',
        },
      },
    ]);
  });

  it('derives the durable consumer and applies default settings', () => {
    const [consumer] = consumersOf(registry, 'shop.v1.OrderPlaced');
    expect(consumer?.durable).toBe('billing--order-placed-v1');
    expect(consumer?.consumer).toEqual(defaultConsumerSettings);
    expect(defaultConsumerSettings).toEqual({
      ackWaitMs: 30_000,
      maxDeliver: 5,
      backoffMs: [1000, 5000, 30_000],
      maxAckPending: 1000,
      ordered: false,
      deliverPolicy: 'all',
    });
    expect(registry.streams).toEqual([
      {
        name: 'SHOP',
        context: 'shop',
        subjects: ['shop.order-placed.v1.>'],
        settings: defaultStreamSettings,
      },
    ]);
  });

  it('is deeply immutable', () => {
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.events[0]?.payload.fields[0])).toBe(true);
    expect(() => {
      (registry.events as unknown as unknown[]).push({});
    }).toThrow();
  });

  it('is deterministic', async () => {
    const again = await loadProject(miniShop);
    expect(JSON.stringify(again.registry)).toBe(JSON.stringify(registry));
  });
});

describe('settings from x-eventkit-stream and x-eventkit-consumer', () => {
  it('reads durations and limits, -1 meaning unlimited', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'eventkit-lint-'));
    temp.push(dir);
    cpSync(miniShop, dir, { recursive: true });
    const shop = path.join(dir, 'asyncapi/shop.yaml');
    const billing = path.join(dir, 'asyncapi/billing.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(
      shop,
      `${readFileSync(shop, 'utf8')}x-eventkit-stream:\n  name: SHOP_EVENTS\n  retention: interest\n  maxAge: 30d\n  maxMsgs: -1\n  maxBytes: 1048576\n  duplicateWindow: 5m\n`,
    );
    writeFileSync(
      billing,
      `${readFileSync(billing, 'utf8')}    x-eventkit-consumer:\n      durable: billing-orders\n      ackWait: 1m\n      maxDeliver: 10\n      backoff: [500ms, 2s]\n      ordered: true\n      deliverPolicy: { startSequence: 42 }\n`,
    );
    const { config } = await loadConfig(dir);
    const { registry, diagnostics } = await loadRegistry(config);
    expect(diagnostics).toEqual([]);
    expect(registry.streams[0]).toMatchObject({
      name: 'SHOP_EVENTS',
      settings: {
        retention: 'interest',
        storage: 'file',
        maxAgeMs: 30 * 86_400_000,
        maxMsgs: 0,
        maxBytes: 1_048_576,
        duplicateWindowMs: 300_000,
        replicas: 1,
      },
    });
    expect(eventByType(registry, 'shop.v1.OrderPlaced')?.stream).toBe('SHOP_EVENTS');
    expect(registry.operations.find((o) => o.id === 'billing.onOrderPlaced')).toMatchObject({
      durable: 'billing-orders',
      consumer: {
        ackWaitMs: 60_000,
        maxDeliver: 10,
        backoffMs: [500, 2000],
        maxAckPending: 1000,
        ordered: true,
        deliverPolicy: { startSequence: 42 },
      },
    });
  });
});

describe('inline proto payloads', () => {
  it('accepts proto source in the payload (stock AsyncAPI form) and application/x-protobuf', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'eventkit-inline-'));
    temp.push(dir);
    cpSync(miniShop, dir, { recursive: true });
    // The proto root stays (it is configured) but holds nothing: the payload carries its own proto text.
    rmSync(path.join(dir, 'proto/shop'), { recursive: true });
    const shop = path.join(dir, 'asyncapi/shop.yaml');
    const { readFileSync } = await import('node:fs');
    const inline = [
      '        schemaFormat: application/x-protobuf',
      '        schema: |',
      '          syntax = "proto3";',
      '          package shop.v1;',
      '          enum Status { STATUS_UNSPECIFIED = 0; STATUS_OPEN = 1; }',
      '          // An order was placed (inline).',
      '          message OrderPlaced {',
      '            string order_id = 1;',
      '            int64 total_cents = 2;',
      '            Status status = 3;',
      '          }',
      '',
    ].join('\n');
    const text = readFileSync(shop, 'utf8').replace(
      / {8}schemaFormat: .*\n {8}schema: shop\.v1\.OrderPlaced\n/,
      inline,
    );
    expect(text).toContain('application/x-protobuf');
    writeFileSync(shop, text);
    const result = await loadProject(dir);
    expect(result.diagnostics).toEqual([]);
    expect(await lint(result, { buf: false })).toEqual([]);
    const event = eventByType(result.registry, 'shop.v1.OrderPlaced');
    expect(event?.payload.kind).toBe('protobuf');
    expect(event?.payload.kind === 'protobuf' && event.payload.protoFile).toBe('asyncapi/shop.yaml');
    expect(event?.payload.fields.map((f) => f.name)).toEqual(['orderId', 'totalCents', 'status']);
    expect(event?.description).toBe('An order was placed (inline).');
  });
});

describe('a foreign AsyncAPI 3.0 document (JSON Schema payloads, no eventkit conventions)', async () => {
  const result = await loadProject(foreign);

  it('loads and lints with zero errors when conventions are off', async () => {
    expect(result.diagnostics).toEqual([]);
    const diagnostics = await lint(result, { buf: false });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('models its messages with fields from the JSON Schema', () => {
    const { registry } = result;
    expect(registry.services.map((s) => s.id)).toEqual(['streetlights-mqtt-api']);
    expect(registry.events.map((e) => e.type)).toEqual([
      'streetlights-mqtt-api.v1.DimLight',
      'streetlights-mqtt-api.v1.LightMeasured',
      'streetlights-mqtt-api.v1.TurnOnOff',
    ]);
    const measured = eventByType(registry, 'streetlights-mqtt-api.v1.LightMeasured');
    expect(measured?.contentType).toBe('application/json');
    expect(measured?.payload.kind).toBe('jsonschema');
    expect(measured?.payload.fields.map((f) => [f.name, f.type, f.description])).toEqual([
      ['lumens', 'integer', 'Light intensity measured in lumens.'],
      ['sentAt', 'string (date-time)', 'Date and time when the message was sent.'],
    ]);
    // MQTT topics are not NATS subjects: no filter and no stream.
    expect(measured?.subjectFilter).toBe('');
    expect(measured?.stream).toBeUndefined();
    expect(registry.streams).toEqual([]);
    const turnOn = eventByType(registry, 'streetlights-mqtt-api.v1.TurnOnOff');
    expect(turnOn?.payload.fields[0]).toMatchObject({
      name: 'command',
      kind: 'enum',
      required: true,
      enumValues: [{ name: 'on' }, { name: 'off' }],
    });
  });

  it('keeps the NATS conventions off an MQTT document even when they are switched on', async () => {
    const { config } = await loadConfig(foreign);
    const withConventions = await loadRegistry({
      ...config,
      conventions: { subjects: true, cloudEvents: true },
    });
    // CloudEvents NATS headers and subject conventions are JetStream's; an MQTT topic is checked as written.
    expect((await lint(withConventions, { buf: false })).map((d) => d.ruleId)).toEqual(['receive-no-sender']);
  });
});
