// Pact matchers over a payload's JSON view: consumers pick the fields they rely on from a real example
// (the generated example builders, encoded by the real codec) and get type/format matchers for them, so
// a pact pins what a consumer needs and nothing else.
import { MatchersV3 } from '@pact-foundation/pact';

const { like, regex, integer, decimal, boolean, eachLike } = MatchersV3;

const RFC3339 = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';
/** Proto enum value names in the JSON view: `CANCEL_REASON_PAYMENT_DECLINED`. */
const ENUM = '^[A-Z][A-Z0-9_]*$';
/** int64/uint64 in the proto3 JSON view are decimal strings. */
const INT64 = '^-?\\d+$';

/**
 * The fields at `paths` of `json` (a JSON view), with matchers. Paths are dotted JSON names; a path through
 * an array applies to its elements (`items.productId`). Without paths, every field.
 */
export function jsonViewMatching(json: unknown, paths?: readonly string[]): unknown {
  const picked =
    paths === undefined
      ? json
      : pick(
          json,
          paths.map((p) => p.split('.')),
        );
  return toMatchers(picked);
}

function pick(value: unknown, paths: readonly string[][]): unknown {
  if (Array.isArray(value)) return value.slice(0, 1).map((item) => pick(item, paths));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  const byHead = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (head === undefined) continue;
    const list = byHead.get(head) ?? [];
    if (rest.length > 0) list.push(rest);
    byHead.set(head, list);
  }
  for (const [key, rest] of byHead) {
    const child = (value as Record<string, unknown>)[key];
    if (child === undefined) {
      throw new Error(
        `the example has no field "${key}"; give the example a value for every field the consumer uses`,
      );
    }
    out[key] = rest.length === 0 ? child : pick(child, rest);
  }
  return out;
}

function toMatchers(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 ? like([]) : eachLike(toMatchers(value[0]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toMatchers(v)]));
  }
  if (typeof value === 'string') {
    if (new RegExp(RFC3339).test(value)) return regex(RFC3339, value);
    if (new RegExp(INT64).test(value)) return regex(INT64, value);
    if (new RegExp(ENUM).test(value) && value.includes('_')) return regex(ENUM, value);
    return like(value);
  }
  if (typeof value === 'number') return Number.isInteger(value) ? integer(value) : decimal(value);
  if (typeof value === 'boolean') return boolean(value);
  return value;
}
