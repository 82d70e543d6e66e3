// Inline proto text as an AsyncAPI payload (the stock AsyncAPI protobuf form): parsed next to the proto
// roots' types so it may import and use them.
import protobuf from 'protobufjs';
import type { ProtoLibrary } from './library.ts';
import { allTypes, protoParseOptions } from './library.ts';

export type InlineProtoResult =
  | { readonly ok: true; readonly type: protobuf.Type; readonly package: string }
  | {
      readonly ok: false;
      readonly message: string /** 1-based line inside the inline text. */;
      readonly line: number;
    };

/** True when a payload string is proto source rather than a message name. */
export function looksLikeProtoSource(text: string): boolean {
  return /\b(message|syntax|package)\b[^\n]*[{;=]/.test(text) || text.includes('\n');
}

export function createInlineProtoParser(
  library: ProtoLibrary,
): (text: string, preferredName?: string) => InlineProtoResult {
  const cache = new Map<string, InlineProtoResult>();
  let base: protobuf.INamespace | undefined;
  return (text, preferredName) => {
    const key = `${preferredName ?? ''}\u0000${text}`;
    const cached = cache.get(key);
    if (cached) return cached;
    let result: InlineProtoResult;
    try {
      const own = protobuf.parse(text, new protobuf.Root(), protoParseOptions);
      const ownTypes = allTypes(own.root).map((t) => t.fullName.slice(1));
      if (ownTypes.length === 0) throw new Error('no message declared (line 1)');
      base ??= library.root.toJSON({ keepComments: true });
      const root = protobuf.Root.fromJSON(base);
      protobuf.parse(text, root, protoParseOptions);
      root.resolveAll();
      const chosen = ownTypes.find((n) => n.split('.').pop() === preferredName) ?? ownTypes[0];
      result = { ok: true, type: root.lookupType(chosen as string), package: own.package ?? '' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result = {
        ok: false,
        message: message.replace(/\s*\(line \d+\)$/, ''),
        line: Number(/line (\d+)/.exec(message)?.[1] ?? 1),
      };
    }
    cache.set(key, result);
    return result;
  };
}
