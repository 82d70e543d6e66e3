// Inputs for setting up state in contract tests: a consumed event or an incoming request as the runtime
// would hand them to a handler. Used for prior state (the service's own earlier events), never as the
// message under contract.

import { fillSubject } from '../../../src/contracts/index.ts';
import type { Codec, ConsumedEvent, EventDescriptor, HandlerContext } from '../../../src/runtime/api.ts';
import type { IncomingRequest } from '../../../src/runtime/request-reply.ts';

let counter = 0;

export function consumed<T>(descriptor: EventDescriptor<T>, payload: T): [ConsumedEvent<T>, HandlerContext] {
  counter += 1;
  const id = `setup-${descriptor.name}-${counter}`;
  const field = descriptor.partitionKey?.field;
  const key = field === undefined ? 'x' : String((payload as Record<string, unknown>)[field] ?? 'x');
  const params = descriptor.partitionKey === undefined ? {} : { [descriptor.partitionKey.parameter]: key };
  return [
    {
      payload,
      id,
      type: descriptor.type,
      subject: fillSubject(descriptor.subjectPattern, params),
      source: descriptor.context,
      time: new Date(),
      correlationId: id,
      headers: {},
      params,
      deliveryCount: 1,
    },
    { working: () => undefined, signal: new AbortController().signal },
  ];
}

export function request<T>(descriptor: EventDescriptor<T>, payload: T): IncomingRequest<T> {
  counter += 1;
  const id = `setup-request-${counter}`;
  return {
    payload,
    id,
    type: descriptor.type,
    subject: descriptor.subjectPattern,
    source: 'contract-test',
    correlationId: id,
    headers: {},
  };
}

/** Codec by event type from a generated `events.ts` module (every export with `type` and `codec`). */
export function codecsOf(
  module: Readonly<Record<string, unknown>>,
): (type: string) => Codec<unknown> | undefined {
  const codecs = new Map<string, Codec<unknown>>();
  for (const value of Object.values(module)) {
    const d = value as Partial<EventDescriptor<unknown>> | null;
    if (d !== null && typeof d === 'object' && typeof d.type === 'string' && d.codec !== undefined)
      codecs.set(d.type, d.codec);
  }
  return (type) => codecs.get(type);
}

/** Param value as a string (pact params are JSON). */
export function param(params: Readonly<Record<string, unknown>>, name: string, fallback?: string): string {
  const value = params[name];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`provider state parameter "${name}" is missing`);
  }
  return String(value);
}
