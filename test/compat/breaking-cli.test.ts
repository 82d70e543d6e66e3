// End to end: a small project in a real git repo, changed in the working tree, checked with the real CLI
// (`node bin/eventkit.mjs -C <dir> breaking --against <ref> --json`): real loader, real buf, real git.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatReport } from '../../src/compat/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'bin', 'eventkit.mjs');

const headers = (type: string) => `
      headers:
        type: object
        required: [ce-specversion, ce-id, ce-source, ce-type, ce-time, content-type]
        properties:
          ce-specversion: { type: string, const: "1.0" }
          ce-id: { type: string }
          ce-source: { type: string }
          ce-type: { type: string, const: ${type} }
          ce-time: { type: string, format: date-time }
          content-type: { type: string }`;

const ordersYaml = `asyncapi: 3.0.0
info:
  title: Orders
  version: 1.0.0
  x-eventkit-service: orders
  x-eventkit-context: orders
defaultContentType: application/protobuf
x-eventkit-stream:
  name: ORDERS
  retention: limits
  storage: file
channels:
  orderPlacedV1:
    address: orders.order-placed.v1.{orderId}
    parameters:
      orderId:
        description: Order id.
    messages:
      OrderPlaced:
        $ref: "#/components/messages/OrderPlacedV1"
  noteAddedV1:
    address: orders.note-added.v1.{orderId}
    parameters:
      orderId:
        description: Order id.
    messages:
      NoteAdded:
        $ref: "#/components/messages/NoteAddedV1"
operations:
  publishOrderPlaced:
    action: send
    channel: { $ref: "#/channels/orderPlacedV1" }
    messages: [{ $ref: "#/channels/orderPlacedV1/messages/OrderPlaced" }]
  publishNoteAdded:
    action: send
    channel: { $ref: "#/channels/noteAddedV1" }
    messages: [{ $ref: "#/channels/noteAddedV1/messages/NoteAdded" }]
components:
  messages:
    OrderPlacedV1:
      name: OrderPlaced
      contentType: application/protobuf
      payload:
        schemaFormat: application/vnd.google.protobuf;version=3
        schema: orders.v1.OrderPlaced${headers('orders.v1.OrderPlaced')}
    NoteAddedV1:
      name: NoteAdded
      contentType: application/json
      x-eventkit-type: orders.v1.NoteAdded
      payload:
        type: object
        required: [orderId]
        properties:
          orderId: { type: string }
          text: { type: string }${headers('orders.v1.NoteAdded')}
`;

const paymentsYaml = (durable?: string) => `asyncapi: 3.0.0
info:
  title: Payments
  version: 1.0.0
  x-eventkit-service: payments
  x-eventkit-context: payments
defaultContentType: application/protobuf
channels:
  orderPlacedV1:
    address: orders.order-placed.v1.{orderId}
    parameters:
      orderId:
        description: Order id.
    messages:
      OrderPlaced:
        $ref: ./orders.yaml#/components/messages/OrderPlacedV1
operations:
  onOrderPlaced:
    action: receive
    channel: { $ref: "#/channels/orderPlacedV1" }
    messages: [{ $ref: "#/channels/orderPlacedV1/messages/OrderPlaced" }]${
      durable ? `\n    x-eventkit-consumer:\n      durable: ${durable}` : ''
    }
`;

const eventsProto = (customerField: string, extraStatus = '') => `syntax = "proto3";

package orders.v1;

// A customer placed an order.
message OrderPlaced {
  string order_id = 1;
  ${customerField}
  OrderStatus status = 3;
}

// Where an order is in its life.
enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  ORDER_STATUS_PLACED = 1;${extraStatus}
}
`;

const pact = {
  consumer: { name: 'payments' },
  provider: { name: 'orders' },
  interactions: [
    {
      type: 'Asynchronous/Messages',
      description: 'an order placed by a customer',
      contents: {
        content: { orderId: 'ord_1', customerId: 'cus_1', status: 'ORDER_STATUS_PLACED' },
        contentType: 'application/json',
      },
      metadata: { 'ce-type': 'orders.v1.OrderPlaced' },
    },
  ],
  metadata: { pactSpecification: { version: '4.0' } },
};

let scratch: string;
let project: string;

async function write(rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(project, rel)), { recursive: true });
  await writeFile(path.join(project, rel), text);
}

function git(...args: string[]): void {
  execFileSync('git', args, {
    cwd: project,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e.x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e.x',
    },
  });
}

function eventkit(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, '-C', project, ...args], {
    encoding: 'utf8',
    cwd: repoRoot,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'eventkit-compat-cli-'));
  project = path.join(scratch, 'shop');
  await write('asyncapi/orders.yaml', ordersYaml);
  await write('asyncapi/payments.yaml', paymentsYaml());
  await write('contracts/proto/buf.yaml', 'version: v2\nbreaking:\n  use: [WIRE_JSON]\n');
  await write('contracts/proto/orders/v1/events.proto', eventsProto('string customer_id = 2;'));
  await write('contracts/pacts/payments-orders.json', JSON.stringify(pact, null, 2));
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'v1 contracts');
  git('tag', 'v1');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// Each CLI run loads two projects (AsyncAPI parser start-up dominates); allow for a busy CI machine.
describe('eventkit breaking (CLI, real git repo)', { timeout: 180_000 }, () => {
  it('the unchanged working tree is compatible with its own tag (exit 0)', () => {
    const run = eventkit('breaking', '--against', 'v1', '--json');
    expect(run.stderr).toContain('eventkit breaking: loading head');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as CompatReport;
    expect(report.changes).toEqual([]);
    expect(report.compatible).toBe(true);
  });

  it('breaking changes in proto, AsyncAPI and JSON Schema exit 1 with consumers and fixes', async () => {
    await write(
      'contracts/proto/orders/v1/events.proto',
      eventsProto('string buyer_id = 2;', '\n  ORDER_STATUS_HELD = 2;'),
    );
    await write('asyncapi/payments.yaml', paymentsYaml('payments-order-placed'));
    await write(
      'asyncapi/orders.yaml',
      ordersYaml.replace(
        'text: { type: string }',
        'text: { type: string }\n          priority: { type: integer }',
      ),
    );

    const run = eventkit('breaking', '--against', 'v1', '--json');
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as CompatReport;
    const summary = report.changes.map((c) => `${c.event ?? c.stream} ${c.ruleId} ${c.class}`);
    expect(summary).toEqual([
      'orders.v1.NoteAdded jsonschema/property-added breaking',
      'orders.v1.OrderPlaced durable-renamed breaking',
      'orders.v1.OrderPlaced buf/FIELD_SAME_JSON_NAME breaking',
      'orders.v1.OrderPlaced buf/FIELD_SAME_NAME breaking',
      'orders.v1.OrderPlaced proto/enum-value-added non-breaking',
    ]);
    const renamed = report.changes.find((c) => c.ruleId === 'buf/FIELD_SAME_JSON_NAME');
    expect(renamed?.location).toMatchObject({ file: 'contracts/proto/orders/v1/events.proto', line: 8 });
    expect(renamed?.affectedConsumers.map((a) => `${a.name}:${a.via}`)).toEqual([
      'payments:asyncapi-head',
      'payments:asyncapi-base',
      'payments:pact',
    ]);
    expect(renamed?.fix).toContain('orders.v2.OrderPlaced');
    expect(report.base).toMatch(/^git:v1@[0-9a-f]{7}$/);
  });

  it('a non-breaking change exits 0 and says which side deploys first', async () => {
    await write(
      'contracts/proto/orders/v1/events.proto',
      eventsProto('string customer_id = 2;', '\n  ORDER_STATUS_HELD = 2;'),
    );
    await write('asyncapi/payments.yaml', paymentsYaml());
    await write('asyncapi/orders.yaml', ordersYaml);
    const run = eventkit('breaking', '--against', 'v1');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ok\s+proto\/enum-value-added\s+\S+\s+payments\s+consumers first/);
    expect(run.stdout).toContain('compatible: 0 breaking');
  });

  it('an unknown ref is bad input (exit 2) with a hint, and a folder works as base', async () => {
    const bad = eventkit('breaking', '--against', 'no-such-tag', '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a folder and not a git commit');
    expect(JSON.parse(bad.stdout).error.code).toBe('bad-ref');

    const copy = path.join(scratch, 'copy');
    execFileSync('cp', ['-r', project, copy]);
    const sameDir = eventkit('breaking', '--against', copy, '--json');
    expect(sameDir.code).toBe(0);
    expect((JSON.parse(sameDir.stdout) as CompatReport).base).toBe(`dir:${copy}`);
  });

  it('a head that does not load is bad input (exit 2)', async () => {
    const good = await readFile(path.join(project, 'asyncapi/orders.yaml'), 'utf8');
    await write('asyncapi/orders.yaml', `${good}\n  : : not yaml [\n`);
    const run = eventkit('breaking', '--against', 'v1');
    await write('asyncapi/orders.yaml', good);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('asyncapi/orders.yaml');
  });
});
