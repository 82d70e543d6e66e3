// `eventkit breaking` names the consumers of pacts written by the Pact ecosystem (read by the contracts
// module's one Pact reader): a pact-js V3 message pact (`messages[]`) and a V4 pact without CloudEvents
// metadata, matched by its subject. Real CLI, a folder as base.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/compat/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'bin', 'eventkit.mjs');

const ordersYaml = (textProperty: string) => `asyncapi: 3.0.0
info:
  title: Orders
  version: 1.0.0
  x-eventkit-service: orders
  x-eventkit-context: orders
channels:
  noteAddedV1:
    address: orders.note-added.v1.{orderId}
    parameters:
      orderId:
        description: Order id.
    messages:
      NoteAdded:
        $ref: "#/components/messages/NoteAddedV1"
  orderShippedV1:
    address: orders.order-shipped.v1.{orderId}
    parameters:
      orderId:
        description: Order id.
    messages:
      OrderShipped:
        $ref: "#/components/messages/OrderShippedV1"
operations:
  publishNoteAdded:
    action: send
    channel: { $ref: "#/channels/noteAddedV1" }
    messages: [{ $ref: "#/channels/noteAddedV1/messages/NoteAdded" }]
  publishOrderShipped:
    action: send
    channel: { $ref: "#/channels/orderShippedV1" }
    messages: [{ $ref: "#/channels/orderShippedV1/messages/OrderShipped" }]
components:
  messages:
    NoteAddedV1:
      name: NoteAdded
      contentType: application/json
      x-eventkit-type: orders.v1.NoteAdded
      payload:
        type: object
        additionalProperties: false
        required: [orderId]
        properties:
          orderId: { type: string }${textProperty}
    OrderShippedV1:
      name: OrderShipped
      contentType: application/json
      x-eventkit-type: orders.v1.OrderShipped
      payload:
        type: object
        required: [orderId, carrier]
        properties:
          orderId: { type: string }
          carrier: { type: string }
          text: { type: string }
`;

// pact-js V3 message pact: `messages[]`, `contents` is the body, no event type metadata; the description
// names the event.
const v3Pact = {
  consumer: { name: 'audit' },
  provider: { name: 'orders' },
  messages: [
    {
      description: 'a note added to an order',
      contents: { orderId: 'o1', text: 'leave at the door' },
      metaData: { contentType: 'application/json' },
    },
  ],
  metadata: { pactSpecification: { version: '3.0.0' } },
};

// pact-jvm V4 pact without `ce-type`: the subject decides the event. The second interaction is about
// another event (its body carries `text` too) and must not be named. The third has neither type nor subject
// and a description naming no event: its body fits only NoteAdded's schema (as published in base).
const v4Pact = {
  consumer: { name: 'search' },
  provider: { name: 'orders' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'an update to index',
      contents: { content: { orderId: 'o1', text: 'gift' }, contentType: 'application/json' },
      metadata: { subject: 'orders.note-added.v1.o1' },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'another update to index',
      contents: { content: { orderId: 'o1', text: 'shipped' }, contentType: 'application/json' },
      metadata: { subject: 'orders.order-shipped.v1.o1' },
    },
    {
      type: 'Asynchronous/Messages',
      description: 'a third update to index',
      contents: { content: { orderId: 'o2', text: 'fragile' }, contentType: 'application/json' },
      metadata: {},
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

let scratch: string;

async function write(root: string, rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-compat-foreign-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('eventkit breaking with pacts from the Pact ecosystem', { timeout: 180_000 }, () => {
  it('names the consumers of a V3 messages[] pact and of a V4 pact without ce-type (subject, body)', async () => {
    const base = path.join(scratch, 'base');
    const head = path.join(scratch, 'head');
    await write(base, 'asyncapi/orders.yaml', ordersYaml('\n          text: { type: string }'));
    await write(base, 'contracts/pacts/audit-orders.json', JSON.stringify(v3Pact, null, 2));
    await write(base, 'contracts/pacts/search-orders.json', JSON.stringify(v4Pact, null, 2));
    execFileSync('cp', ['-r', base, head]);
    // Removing `text` from a closed schema: old messages still carry it, so it breaks NoteAdded.
    await write(head, 'asyncapi/orders.yaml', ordersYaml(''));

    const run = spawnSync(process.execPath, [cli, '-C', head, 'breaking', '--against', base, '--json'], {
      encoding: 'utf8',
      cwd: repoRoot,
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as CompatReport;
    const removed = report.changes.filter((c) => c.event === 'orders.v1.NoteAdded' && c.class === 'breaking');
    expect(removed.map((c) => [c.ruleId, c.fieldPaths])).toEqual([['jsonschema/property-removed', ['text']]]);
    expect(removed[0]?.affectedConsumers.map((a) => `${a.name}:${a.via}:${a.detail}`)).toEqual([
      'audit:pact:a note added to an order',
      'search:pact:an update to index',
      'search:pact:a third update to index',
    ]);
    expect(report.changes.filter((c) => c.event === 'orders.v1.OrderShipped')).toEqual([]);
  });
});
