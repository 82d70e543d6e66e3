// Small read helpers over a Registry: raw AsyncAPI nodes behind a model element, senders and receivers.
import type { EventModel, OperationModel, Registry } from '../model/types.ts';

/** Resolves a JSON pointer (`/components/messages/OrderPlaced`) inside a plain JSON value. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let node: unknown = root;
  for (const raw of pointer.replace(/^#?\//, '').split('/')) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The raw AsyncAPI message object that defines an event, to read extensions the model does not carry
 * (`x-eventkit-compatibility`). Looks at the event's own location first, then at any `components.messages`
 * entry that names the event type.
 */
export function rawMessageOf(registry: Registry, event: EventModel): Record<string, unknown> | undefined {
  const pointer = event.location.pointer;
  const owner = registry.services.find((s) => s.document.file === event.location.file);
  if (owner !== undefined && pointer !== undefined) {
    const node = resolvePointer(owner.document.raw, pointer);
    if (isRecord(node)) return node;
  }
  for (const service of registry.services) {
    const raw = service.document.raw;
    const messages = isRecord(raw) && isRecord(raw.components) ? raw.components.messages : undefined;
    if (!isRecord(messages)) continue;
    for (const message of Object.values(messages)) {
      if (!isRecord(message)) continue;
      const payload = isRecord(message.payload) ? message.payload : undefined;
      if (message['x-eventkit-type'] === event.type || payload?.schema === event.type) return message;
    }
  }
  return undefined;
}

export function operationsFor(
  registry: Registry,
  eventType: string,
  action: 'send' | 'receive',
): OperationModel[] {
  return registry.operations.filter((op) => op.action === action && op.eventTypes.includes(eventType));
}

export function eventByType(registry: Registry): Map<string, EventModel> {
  return new Map(registry.events.map((e) => [e.type, e]));
}

/** `orders.v1` → true for unstable packages such as `orders.v1alpha1` / `orders.v2beta` (buf's convention). */
export function isUnstablePackage(pkg: string): boolean {
  return /\.v\d+(alpha|beta)\d*$/.test(pkg);
}

/** The suggested next major of an event: type, package and subject with the major bumped. */
export function nextMajor(event: EventModel): { type: string; subject: string; major: number } {
  const major = event.major + 1;
  const bump = (s: string) => s.replace(new RegExp(`(^|\\.)v${event.major}(?=\\.|$)`), `$1v${major}`);
  return { type: bump(event.type), subject: bump(event.subjectPattern), major };
}

export function newMajorFix(event: EventModel): string {
  const next = nextMajor(event);
  // Replies of request/reply have no address of their own.
  const where = event.subjectPattern === '' ? '' : ` on \`${next.subject}\``;
  return (
    `publish a new major version side by side: \`${next.type}\`${where}; ` +
    `keep publishing v${event.major} until no consumer receives it`
  );
}

/**
 * Operations that consume a message: receive operations carrying it, and request/reply operations that get
 * it back as their reply (the requester reads the reply).
 */
export function consumingOperations(registry: Registry, eventType: string): OperationModel[] {
  return registry.operations.filter(
    (op) =>
      (op.action === 'receive' && op.eventTypes.includes(eventType)) ||
      (op.action === 'send' && (op.replyTypes ?? []).includes(eventType)),
  );
}
