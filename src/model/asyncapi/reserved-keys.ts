// Keys named like Object.prototype members (`constructor`, `hasOwnProperty`, `__proto__`, …) are ordinary
// names in a document, but the AsyncAPI parser's resolver (Spectral) reads them off plain objects: it
// crashed on `hasOwnProperty`, skipped `$ref`s under `constructor` and dropped `__proto__`. So the text
// handed to the parser spells those keys (and the `$ref` pointer segments naming them) with a private-use
// first character of the same length — positions in diagnostics stay exact — and everything the parser
// returns is spelled back. Documents that already contain those private-use characters are left alone.
import { isScalar, parseDocument, visit } from 'yaml';

const reservedNames = Object.getOwnPropertyNames(Object.prototype).sort();
const aliasOf = new Map(
  reservedNames.map((name, i) => [name, `${String.fromCharCode(0xe000 + i)}${name.slice(1)}`] as const),
);
const nameOf = new Map([...aliasOf].map(([name, alias]) => [alias, name] as const));
const privateUse = /[\ue000-\ue0ff]/;
const mentionsReserved = new RegExp(reservedNames.map((n) => n.replace(/\$/g, '\\$')).join('|'));
const aliasPattern = new RegExp([...nameOf.keys()].join('|'), 'g');

/** The text with reserved keys renamed for the parser (same length), or the text itself when none occur. */
export function encodeReservedKeys(text: string): string {
  if (!mentionsReserved.test(text) || privateUse.test(text)) return text;
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) return text;
  const edits: { at: number; name: string }[] = [];
  visit(document, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !pair.key.range) return;
      const key = String(pair.key.value);
      const [start, end] = pair.key.range;
      if (aliasOf.has(key)) {
        const at = text.indexOf(key, start);
        if (at !== -1 && at < end) edits.push({ at, name: key });
      }
      if (
        key === '$ref' &&
        isScalar(pair.value) &&
        typeof pair.value.value === 'string' &&
        pair.value.range
      ) {
        const [from, to] = pair.value.range;
        const raw = text.slice(from, to);
        for (const match of raw.matchAll(/\/([^/#'"\s]+)/g)) {
          const segment = match[1] as string;
          if (aliasOf.has(segment)) edits.push({ at: from + (match.index ?? 0) + 1, name: segment });
        }
      }
    },
  });
  if (edits.length === 0) return text;
  let out = '';
  let last = 0;
  for (const edit of edits.sort((a, b) => a.at - b.at)) {
    out += text.slice(last, edit.at) + (aliasOf.get(edit.name) as string);
    last = edit.at + edit.name.length;
  }
  return out + text.slice(last);
}

/** A string with the parser's spelling of reserved names turned back. */
export function decodeReservedKeys(text: string): string {
  return privateUse.test(text) ? text.replace(aliasPattern, (alias) => nameOf.get(alias) ?? alias) : text;
}

/**
 * A deep copy of the parser's JSON with reserved names spelled back; keys are defined as own properties,
 * so a `__proto__` key stays a key. The JSON may hold cycles (recursive schemas): a repeat becomes `{}`.
 */
export function decodedCopy(value: unknown): Record<string, unknown> {
  const seen = new WeakSet<object>();
  const copy = (v: unknown): unknown => {
    if (typeof v === 'string') return decodeReservedKeys(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return {};
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map(copy);
    else {
      const object: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        Object.defineProperty(object, decodeReservedKeys(k), {
          value: copy(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      out = object;
    }
    seen.delete(v);
    return out;
  };
  return copy(value) as Record<string, unknown>;
}
