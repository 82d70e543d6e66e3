// Reads consumer-generated Pact files (V4, and V3 message pacts) into the messages each consumer expects.
// The shapes and the body come from the contracts module's one Pact reader (`pact-reader.ts`); which event a
// message is about is decided there too (`matchInteraction`, in read-inputs.ts), never here.
import { pactMessages } from '../contracts/pact-reader.ts';

/** One message interaction of one pact: who expects what, and which payload fields the consumer relies on. */
export interface PactMessage {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  /** The interaction's metadata (V3 `metaData` and V4 `contents.metadata` merged in by the reader). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The message body in its JSON view. */
  readonly body: unknown;
  readonly fieldsUsed: readonly string[];
  readonly file: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf paths of a JSON value: `total.currencyCode`, `items[].sku`. Arrays contribute the union of their items. */
export function fieldPaths(value: unknown, prefix = ''): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0 && at) out.add(`${at}[]`);
      for (const item of v) walk(item, `${at}[]`);
      return;
    }
    if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0 && at) out.add(at);
      for (const k of keys) walk(v[k], at ? `${at}.${k}` : k);
      return;
    }
    if (at) out.add(at);
  };
  walk(value, prefix);
  return [...out].sort();
}

export class PactFormatError extends Error {
  override readonly name = 'PactFormatError';
}

/** Parses one pact document. Throws PactFormatError with a message naming what is missing. */
export function readPact(doc: unknown, file: string): PactMessage[] {
  // The one Pact reader knows the shapes (V3 `messages[]`, V4) and leaves HTTP interactions out.
  const read = pactMessages(doc);
  if ('problem' in read) throw new PactFormatError(read.problem);
  return read.messages.map((m) => ({
    consumer: read.consumer,
    provider: read.provider,
    ...m,
    fieldsUsed: fieldPaths(m.body),
    file,
  }));
}
