// Folder-per-service layout (`services/<name>/asyncapi.yaml` beside a shared `common/` folder): service ids
// come from x-eventkit-service, else info.title, else the folder; a shared message belongs to the context
// of the service that sends it, whichever document loads it first; two senders stay a lint finding.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceId } from '../../src/model/build/registry.ts';
import { lint, loadProject } from '../../src/model/index.ts';
import { corpusDir, scratchCopy } from './support.ts';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

describe('service ids', () => {
  it('x-eventkit-service, else info.title slugged, else the folder of an asyncapi.yaml, else the file name', () => {
    expect(serviceId({ 'x-eventkit-service': 'billing', title: 'Billing API' }, 'a/asyncapi.yaml')).toBe(
      'billing',
    );
    expect(serviceId({ title: 'Order Service' }, 'services/x/asyncapi.yaml')).toBe('order-service');
    expect(serviceId({ title: 'Streetlights MQTT API' }, 'streetlights.yaml')).toBe('streetlights-mqtt-api');
    expect(serviceId({ title: '' }, 'services/shipping/asyncapi.yaml')).toBe('shipping');
    expect(serviceId({}, 'services/Parcel Tracking/asyncapi.yml')).toBe('parcel-tracking');
    expect(serviceId({}, 'asyncapi/notes.yaml')).toBe('notes');
  });
});

describe('a folder-per-service system with shared components', async () => {
  const result = await loadProject(path.join(corpusDir, 'shop-folders'));

  it('loads every service under its own id (no two services called "asyncapi")', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.registry.services.map((s) => [s.id, s.context, s.document.file])).toEqual([
      ['orders', 'orders', 'services/orders/asyncapi.yaml'],
      ['payments', 'payments', 'services/payments/asyncapi.yaml'],
      ['shipping', 'shipping', 'services/shipping/asyncapi.yaml'],
    ]);
  });

  it('gives each shared message the context of its sender, not of the first document that loads it', () => {
    // services/orders loads PaymentCaptured first (it receives it); payments sends it.
    expect(result.registry.events.map((e) => [e.type, e.context, e.producer, e.consumers, e.stream])).toEqual(
      [
        ['orders.v1.OrderPlaced', 'orders', 'orders', ['payments'], 'ORDERS'],
        ['payments.v1.PaymentCaptured', 'payments', 'payments', ['orders', 'shipping'], 'PAYMENTS'],
        ['shipping.v1.ParcelShipped', 'shipping', 'shipping', [], 'SHIPPING'],
      ],
    );
    const placed = result.registry.events[0];
    expect(placed?.location.file).toBe('common/messages.yaml');
    expect(placed?.payload.fields.map((f) => [f.name, f.description])).toEqual([
      ['orderId', 'Id of the order.'],
      ['total', 'Amount to pay.'],
    ]);
  });

  it('lints clean; a second sender of the shared event is a finding', async () => {
    expect((await lint(result, { buf: false })).filter((d) => d.severity === 'error')).toEqual([]);
    const root = await scratchCopy('shop-folders');
    temp.push(root);
    const shipping = path.join(root, 'services/shipping/asyncapi.yaml');
    const text = await readFile(shipping, 'utf8');
    await writeFile(
      shipping,
      text.replace(
        'operations:\n',
        'operations:\n  refundCapture:\n    action: send\n    channel:\n      $ref: "#/channels/paymentCaptured"\n',
      ),
    );
    const twoSenders = await loadProject(root);
    expect(twoSenders.registry.events.find((e) => e.name === 'PaymentCaptured')?.type).toBe(
      'payments.v1.PaymentCaptured',
    );
    const findings = (await lint(twoSenders, { buf: false })).filter(
      (d) => d.ruleId === 'event-single-sender',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('payments.v1.PaymentCaptured');
  });
});
