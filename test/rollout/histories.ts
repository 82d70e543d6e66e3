// Change histories of the reference documents: a temp copy of the repository's contract files (AsyncAPI
// documents, protos, pacts, config) with edits applied, to plan rollouts between two of them.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Edit = (root: string) => Promise<void>;

/** A copy of the reference contracts with `edits` applied. */
export async function referenceCopy(
  scratch: string,
  name: string,
  edits: readonly Edit[] = [],
): Promise<string> {
  const root = await mkdtemp(path.join(scratch, `${name}-`));
  for (const entry of ['asyncapi', 'contracts/proto', 'contracts/pacts', 'eventkit.config.json'])
    await cp(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  for (const edit of edits) await edit(root);
  return root;
}

export function scratchDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'eventkit-rollout-'));
}

/** Edit one AsyncAPI document as YAML (comments and layout do not matter for a history). */
export function editDocument(file: string, change: (doc: ReturnType<typeof parseDocument>) => void): Edit {
  return async (root) => {
    const at = path.join(root, 'asyncapi', file);
    const doc = parseDocument(await readFile(at, 'utf8'));
    change(doc);
    await writeFile(at, doc.toString());
  };
}

export function replaceIn(relative: string, from: string | RegExp, to: string): Edit {
  return async (root) => {
    const at = path.join(root, relative);
    const text = await readFile(at, 'utf8');
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${relative}: nothing to replace for ${String(from)}`);
    await writeFile(at, next);
  };
}

/** Before the v2 migration: orders publishes only OrderPlaced v1, payments reads v1. */
export const beforeOrderPlacedV2: readonly Edit[] = [
  editDocument('orders.yaml', (doc) => {
    doc.deleteIn(['channels', 'orderPlacedV2']);
    doc.deleteIn(['operations', 'publishOrderPlacedV2']);
    doc.deleteIn(['components', 'messages', 'OrderPlacedV2']);
  }),
  editDocument('payments.yaml', (doc) => {
    doc.setIn(['channels', 'orderPlacedV2', 'address'], 'orders.order-placed.v1.{orderId}');
    doc.setIn(
      ['channels', 'orderPlacedV2', 'messages', 'OrderPlaced', '$ref'],
      './orders.yaml#/components/messages/OrderPlacedV1',
    );
  }),
];

/** Orders stops publishing OrderPlaced v1. */
export const ordersStopsV1: Edit = editDocument('orders.yaml', (doc) => {
  doc.deleteIn(['operations', 'publishOrderPlaced']);
});

/** Notifications stops reading OrderPlaced v1 (it keeps its other events). */
export const notificationsStopsV1: Edit = editDocument('notifications.yaml', (doc) => {
  doc.deleteIn(['operations', 'onOrderPlaced']);
});
