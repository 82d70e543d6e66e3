// Plain, acyclic, immutable copies of parser output (which may hold cycles and parser-internal keys).

/** Deep copy without `x-parser-*` keys; a cycle becomes `{}` (recursive JSON Schemas). */
export function plainCopy(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return {};
  seen.add(value);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map((v) => plainCopy(v, seen));
  else {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-parser-')) out[k] = plainCopy(v, seen);
    copy = out;
  }
  seen.delete(value);
  return copy;
}

export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (value === null || typeof value !== 'object' || seen.has(value as object)) return value;
  seen.add(value as object);
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v, seen);
  return Object.freeze(value);
}
