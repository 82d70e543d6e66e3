// Header changes of one event: removed or newly required headers, the `ce-type` const.
import { isDeepStrictEqual } from 'node:util';
import type { EventModel, JsonSchema } from '../model/types.ts';
import { newMajorFix } from './registry-lookup.ts';
import type { ChangeDraft } from './types.ts';

export type Emit = (
  ruleId: string,
  message: string,
  fix?: string,
  deployOrder?: ChangeDraft['deployOrder'],
) => void;

function headerProps(schema: JsonSchema | undefined): Record<string, unknown> {
  const p = schema?.properties;
  return p !== null && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

function headerRequired(schema: JsonSchema | undefined): Set<string> {
  const r = schema?.required;
  return new Set(Array.isArray(r) ? r.filter((x): x is string => typeof x === 'string') : []);
}

function ceTypeConst(schema: JsonSchema | undefined): unknown {
  const ceType = headerProps(schema)['ce-type'];
  return ceType !== null && typeof ceType === 'object'
    ? (ceType as Record<string, unknown>).const
    : undefined;
}

export function diffHeaders(
  before: JsonSchema | undefined,
  after: JsonSchema | undefined,
  event: EventModel,
  breaking: Emit,
  nonBreaking: (ruleId: string, message: string, deployOrder?: ChangeDraft['deployOrder']) => void,
): void {
  const bp = headerProps(before);
  const ap = headerProps(after);
  const br = headerRequired(before);
  const ar = headerRequired(after);
  for (const name of Object.keys(bp).sort()) {
    if (!(name in ap)) {
      breaking(
        'header-removed',
        `declared header \`${name}\` was removed; consumers may read it`,
        'keep sending and declaring the header until no consumer reads it (deploy consumers first)',
        'consumers-first',
      );
    }
  }
  for (const name of [...ar].sort()) {
    if (br.has(name)) continue;
    breaking(
      'header-required-added',
      `header \`${name}\` is now required; messages already in the stream do not carry it`,
      `declare \`${name}\` as optional and let consumers tolerate its absence, or ${newMajorFix(event)}`,
    );
  }
  for (const name of Object.keys(ap).sort()) {
    if (!(name in bp) && !ar.has(name))
      nonBreaking('header-added', `optional header \`${name}\` declared`, 'producers-first');
  }
  const beforeType = ceTypeConst(before);
  const afterType = ceTypeConst(after);
  if (beforeType !== undefined && !isDeepStrictEqual(beforeType, afterType)) {
    breaking(
      'ce-type-changed',
      `\`ce-type\` const changed from ${JSON.stringify(beforeType)} to ${JSON.stringify(afterType ?? null)}; routers dispatch on it`,
    );
  }
}
