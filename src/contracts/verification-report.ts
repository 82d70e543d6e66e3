// Turns the Pact verifier's mismatch report into failures that say which field and why, and prints them.
import pc from 'picocolors';

export interface InteractionFailure {
  /** `$.total.units` for body fields, `metadata.subject` for metadata, absent when not about one field. */
  readonly field?: string;
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

interface RawMismatch {
  readonly type?: string;
  readonly path?: string;
  readonly key?: string;
  readonly mismatch?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

/** Groups the verifier's `errors` by interaction description. */
export function parseVerifierFailures(
  errors: unknown,
  descriptions: readonly string[],
): Map<string, InteractionFailure[]> {
  const byDescription = new Map<string, InteractionFailure[]>();
  if (!Array.isArray(errors)) return byDescription;
  // Longest first: a description that ends with another one must win.
  const known = [...descriptions].sort((a, b) => b.length - a.length);
  for (const entry of errors as {
    interaction?: string;
    mismatch?: { mismatches?: RawMismatch[]; message?: string };
  }[]) {
    const label = entry.interaction ?? '';
    const description = known.find((d) => label.endsWith(` - ${d}`)) ?? label;
    const failures = byDescription.get(description) ?? [];
    const mismatches = entry.mismatch?.mismatches;
    if (Array.isArray(mismatches) && mismatches.length > 0) {
      for (const raw of mismatches) failures.push(...toFailures(raw));
    } else {
      failures.push({ message: entry.mismatch?.message ?? 'verification failed' });
    }
    byDescription.set(description, failures);
  }
  return byDescription;
}

function toFailures(raw: RawMismatch): InteractionFailure[] {
  const message = raw.mismatch ?? raw.type ?? 'mismatch';
  const detail = {
    ...(raw.expected === undefined ? {} : { expected: String(raw.expected) }),
    ...(raw.actual === undefined ? {} : { actual: String(raw.actual) }),
  };
  if (raw.type === 'MetadataMismatch') return [{ field: `metadata.${raw.key ?? '?'}`, message, ...detail }];
  if (raw.type === 'BodyMismatch') {
    // "Actual map is missing the following keys: total, items" is about each named child, not the parent.
    const missing = /missing the following keys: (.+)$/.exec(message)?.[1];
    const parent = raw.path ?? '$';
    if (missing !== undefined) {
      return missing.split(',').map((key) => ({
        field: `${parent}.${key.trim()}`,
        message: `the provider no longer sends ${parent}.${key.trim()}, which the consumer relies on`,
      }));
    }
    return [{ field: parent, message, ...detail }];
  }
  if (raw.type === 'BodyTypeMismatch') return [{ field: '$', message, ...detail }];
  return [{ message }];
}

export interface ReportedInteraction {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly file: string;
  readonly line: number;
  readonly success: boolean;
  readonly failures: readonly InteractionFailure[];
}

/** Human report: one line per interaction, failures indented beneath with field and reason. */
export function formatVerification(interactions: readonly ReportedInteraction[], color = false): string {
  const c = color ? pc : pc.createColors(false);
  const lines: string[] = [];
  for (const i of interactions) {
    const mark = i.success ? c.green('✓') : c.red('✗');
    lines.push(`${mark} ${i.provider} → ${i.consumer}: ${i.description}  (${i.file}:${i.line})`);
    for (const failure of i.failures) {
      const field = failure.field === undefined ? '' : `${c.bold(failure.field)}: `;
      lines.push(`    ${field}${failure.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
