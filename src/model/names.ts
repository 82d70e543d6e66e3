// The one place names and defaults are derived: event types, subjects, stream and durable names,
// kebab/Pascal case, consumer defaults. The loader, the rules, the runtime, provisioning, codegen, the
// catalog and compat import them from here, so two modules can never derive a name two ways.
import type { ConsumerSettings } from './types.ts';

/** `OrderPlaced` → `order-placed`, `HTTPRequestSent` → `http-request-sent`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[_\s.]+/g, '-')
    .toLowerCase();
}

/** proto field name → proto3 JSON name (`order_id` → `orderId`), the way protoc computes json_name. */
export function jsonName(protoName: string): string {
  return protoName.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `my-event_name` → `MyEventName`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Names of the `{param}` placeholders of a channel address, in order. */
export function addressParameters(address: string): string[] {
  return [...address.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

/** True when an address can be a NATS subject (MQTT-style `a/b/c` or spaces cannot). */
export function isNatsAddress(address: string): boolean {
  return address !== '' && !/[\s/]/.test(address) && !address.split('.').some((t) => t === '');
}

/**
 * NATS subject filter of a channel address: `{param}` tokens become `*`, a trailing parameter
 * becomes `>` (`orders.order-placed.v1.{orderId}` → `orders.order-placed.v1.>`). Addresses that are
 * not NATS subjects (MQTT topics, …) have no filter: ''.
 */
export function subjectFilter(address: string): string {
  if (!isNatsAddress(address)) return '';
  const tokens = address.split('.');
  return tokens
    .map((token, i) =>
      /^\{[^}]+\}$/.test(token)
        ? i === tokens.length - 1
          ? '>'
          : '*'
        : /\{[^}]+\}/.test(token)
          ? '*'
          : token,
    )
    .join('.');
}

/** True when some subject could match both NATS filters. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined || q === undefined) return p === q;
    if (p === '>' || q === '>') return true;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
}

/** `orders.v1` → `{ context: 'orders', major: 1 }`; packages without a version give major undefined. */
export function splitVersionedPackage(pkg: string): { context: string; major?: number } {
  const match = /^(.*)\.v(\d+)$/.exec(pkg);
  if (!match) return { context: pkg };
  return { context: match[1] as string, major: Number(match[2]) };
}

/** Major version written in a subject (`orders.order-placed.v1.{id}` → 1). */
export function subjectMajor(address: string): number | undefined {
  const match = /(?:^|\.)v(\d+)(?:\.|$)/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** Consumer settings when a receive operation declares none (`x-eventkit-consumer`). */
export const defaultConsumerSettings: ConsumerSettings = {
  ackWaitMs: 30_000,
  maxDeliver: 5,
  backoffMs: [1_000, 5_000, 30_000],
  maxAckPending: 1000,
  ordered: false,
  deliverPolicy: 'all',
};

/** Default durable of a service's consumer of one event: `<service>--<event-kebab>-v<major>`. */
export function durableName(
  service: string,
  event: { readonly name: string; readonly major: number },
): string {
  return `${service}--${kebabCase(event.name)}-v${event.major}`;
}

/**
 * Durable of a further receive operation of the same service and event on another channel (one filter
 * subject per consumer): the default name plus the operation id, `<service>--<event-kebab>-v<major>--<operation-kebab>`.
 */
export function channelDurableName(
  service: string,
  event: { readonly name: string; readonly major: number },
  operationId: string,
): string {
  return `${durableName(service, event)}--${kebabCase(operationId)}`;
}

/** Default stream of a context: the upper-cased context (`orders` → `ORDERS`). */
export function streamName(context: string): string {
  return context.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
}

/** Event type of a JSON Schema message without `x-eventkit-type`: `<context>.v<major>.<PascalCase name>`. */
export function jsonEventType(context: string, major: number, messageName: string): string {
  return `${context}.v${major}.${pascalCase(messageName)}`;
}

/** A service id from free text (an `info.title`, a folder name): `Order Service` → `order-service`. */
export function slug(text: string): string {
  return kebabCase(text.trim())
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The protocol a service speaks, from its servers: `nats` when it has no servers (eventkit's own documents)
 * or any NATS server, else the first server's protocol (`kafka`, `amqp`, `mqtt`, `ws`, …).
 */
export function protocolOf(servers: readonly { readonly protocol: string }[]): string {
  const protocols = servers.map((s) => s.protocol.trim().toLowerCase()).filter(Boolean);
  if (protocols.length === 0 || protocols.includes('nats')) return 'nats';
  return protocols[0] as string;
}

/** JetStream semantics (streams, durables, stream rules, request/reply over core NATS) apply to NATS only. */
export function usesJetStream(protocol: string): boolean {
  return protocol === 'nats';
}

/** The protocol's own word for an address and what it is called in prose (catalog, generated comments). */
export function protocolWords(protocol: string): { readonly address: string; readonly broker: string } {
  switch (protocol) {
    case 'nats':
      return { address: 'subject', broker: 'NATS' };
    case 'kafka':
    case 'kafka-secure':
      return { address: 'topic', broker: 'Kafka' };
    case 'mqtt':
    case 'secure-mqtt':
    case 'mqtt5':
      return { address: 'topic', broker: 'MQTT' };
    case 'amqp':
    case 'amqps':
    case 'amqp1':
      return { address: 'queue', broker: 'AMQP' };
    case 'ws':
    case 'wss':
      return { address: 'channel', broker: 'WebSocket' };
    default:
      return { address: 'channel', broker: protocol.toUpperCase() };
  }
}

// Names from documents are data, not paths: service ids, event names and types are checked against one
// grammar here before anything builds a folder, a file or an identifier from them (`../../victim`,
// `a/b`, control characters and JavaScript's reserved words never reach the file system or generated code).

const reservedWords = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with yield let static implements interface package private protected public await arguments eval ' +
    'undefined NaN Infinity constructor prototype __proto__'
  ).split(' '),
);

/** Why `id` cannot be a service id (a folder name and part of identifiers), or undefined when it can. */
export function serviceIdProblem(id: string): string | undefined {
  if (!/^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/.test(id) || id.length > 64)
    return `service id ${JSON.stringify(id)} must be letters and digits joined by single - or _ (at most 64 characters; no /, \\, dots or spaces)`;
  if (reservedWords.has(id)) return `service id "${id}" is a reserved JavaScript name`;
  return undefined;
}

/** Why `name` cannot be an event name (a TypeScript type name), or undefined when it can. */
export function eventNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,127}$/.test(name))
    return `event name ${JSON.stringify(name)} must be a letter followed by letters, digits or _`;
  if (reservedWords.has(name)) return `event name "${name}" is a reserved JavaScript name`;
  return undefined;
}

/** Why `type` cannot be an event type (`orders.v1.OrderPlaced`), or undefined when it can. */
export function eventTypeProblem(type: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(type) || type.length > 255)
    return `event type ${JSON.stringify(type)} must be dot-separated names (letters, digits, _), like orders.v1.OrderPlaced`;
  return eventNameProblem(type.split('.').pop() as string);
}
