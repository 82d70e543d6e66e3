// NATS subject helpers shared by the envelope and the in-memory broker.

/** True when `subject` matches `filter` (`*` = one token, `>` = one or more trailing tokens). */
export function subjectMatches(filter: string, subject: string): boolean {
  if (filter === subject) return true;
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length) return false;
    if (token !== '*' && token !== s[i]) return false;
  }
  return f.length === s.length;
}

const INVALID_TOKEN = /[\s.*>]/;

/** Problems with one subject token (a parameter value), empty when it is usable. */
export function tokenProblems(name: string, value: string): string[] {
  if (value.length === 0) return [`subject parameter ${name} is empty`];
  if (INVALID_TOKEN.test(value))
    return [`subject parameter ${name} = ${JSON.stringify(value)} contains '.', '*', '>' or whitespace`];
  return [];
}
