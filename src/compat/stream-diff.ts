// Stream changes: removed streams, retention / storage changes JetStream cannot apply in place, less history.
import type { StreamModel } from '../model/types.ts';
import type { ChangeDraft } from './types.ts';

export function diffStreams(
  base: readonly StreamModel[],
  head: readonly StreamModel[],
  out: ChangeDraft[],
): void {
  const headByName = new Map(head.map((s) => [s.name, s]));
  for (const before of base) {
    const after = headByName.get(before.name);
    const common = {
      source: 'asyncapi' as const,
      stream: before.name,
      location: after?.location ?? before.location,
    };
    if (after === undefined) {
      out.push({
        ...common,
        ruleId: 'stream-removed',
        class: 'breaking',
        message: `stream \`${before.name}\` was removed`,
        deployOrder: 'consumers-first',
        fix: 'remove every consumer of its events first',
      });
      continue;
    }
    const b = before.settings;
    const a = after.settings;
    if (b.retention !== a.retention) {
      out.push({
        ...common,
        ruleId: 'stream-retention-changed',
        class: 'breaking',
        message: `stream \`${before.name}\` retention changed from ${b.retention} to ${a.retention}; JetStream cannot change it in place and consumers depend on it (workqueue allows one consumer per subject, interest deletes acknowledged messages)`,
        deployOrder: 'new-major',
        fix: 'keep the retention, or create a new stream for a new major version',
      });
    }
    if (b.storage !== a.storage) {
      out.push({
        ...common,
        ruleId: 'stream-storage-changed',
        class: 'breaking',
        message: `stream \`${before.name}\` storage changed from ${b.storage} to ${a.storage}; JetStream cannot change it in place`,
        deployOrder: 'new-major',
        fix: 'keep the storage type, or migrate to a new stream',
      });
    }
    const reduced = (['maxAgeMs', 'maxBytes', 'maxMsgs'] as const).filter((k) => limit(a[k]) < limit(b[k]));
    if (reduced.length > 0) {
      out.push({
        ...common,
        ruleId: 'stream-limits-reduced',
        class: 'non-breaking',
        message: `stream \`${before.name}\` keeps less history (${reduced.map((k) => `${k} ${b[k]} → ${a[k]}`).join(', ')}); consumers replaying from the start see fewer messages`,
        deployOrder: 'any',
      });
    }
  }
}

/** 0 and negative limits mean unlimited. */
function limit(value: number): number {
  return value <= 0 ? Number.POSITIVE_INFINITY : value;
}
