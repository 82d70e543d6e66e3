// Channel addresses (`orders.order-placed.v1.{orderId}`) as regular expressions over concrete NATS subjects.

const PARAMETER = /\{([^}]+)\}/g;
/** One NATS subject token: no dots, no wildcards, not empty. */
const TOKEN = '[^.*>\\s]+';

/** `orders.order-placed.v1.{orderId}` → `^orders\.order-placed\.v1\.[^.*>\s]+$` (the regex the pacts carry). */
export function subjectRegexSource(pattern: string): string {
  let source = '';
  let last = 0;
  for (const match of pattern.matchAll(PARAMETER)) {
    source += escapeRegex(pattern.slice(last, match.index)) + TOKEN;
    last = match.index + match[0].length;
  }
  return `^${source}${escapeRegex(pattern.slice(last))}$`;
}

export function subjectMatchesPattern(subject: string, pattern: string): boolean {
  return new RegExp(subjectRegexSource(pattern)).test(subject);
}

/** Parameter values of a concrete subject, e.g. `{ orderId: 'ord_42' }`; undefined when it does not match. */
export function subjectParams(subject: string, pattern: string): Record<string, string> | undefined {
  const names = [...pattern.matchAll(PARAMETER)].map((m) => m[1] ?? '');
  const source = subjectRegexSource(pattern).replaceAll(TOKEN, `(${TOKEN})`);
  const match = new RegExp(source).exec(subject);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    params[name] = match[i + 1] ?? '';
  });
  return params;
}

/** Fills a channel address with parameter values: `orders.order-placed.v1.{orderId}` + `{orderId:'o1'}`. */
export function fillSubject(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(PARAMETER, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new Error(`no value for subject parameter {${name}} of ${pattern}`);
    return value;
  });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
