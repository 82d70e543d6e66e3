// JSON Schema payloads: compares head against base (and, for *_TRANSITIVE modes, against every older
// version given) under the event's compatibility mode.
import type { Diagnostic, EventModel, Registry } from '../model/types.ts';
import { diffSchemas, type SchemaDifference } from './json-schema-compat.ts';
import { deployOrderFor, isTransitive, readCompatibilityMode, violatesMode } from './modes.ts';
import { newMajorFix, rawMessageOf } from './registry-lookup.ts';
import type { ChangeDraft, CompatibilityMode } from './types.ts';

export interface LabelledRegistry {
  /** e.g. `git:main@1a2b3c4` or a folder. */
  readonly label: string;
  readonly registry: Registry;
}

export interface JsonSchemaPayloadResult {
  readonly changes: ChangeDraft[];
  /** Bad `x-eventkit-compatibility` values (bad input). */
  readonly diagnostics: Diagnostic[];
  /** Mode used per event type, for the report. */
  readonly modes: Map<string, CompatibilityMode>;
}

function fixFor(d: SchemaDifference, event: EventModel, mode: CompatibilityMode): string {
  if (d.ruleId === 'jsonschema/property-added' && !d.backward) {
    return (
      'the old schema was open, so old messages may carry this name with any value: give the property a schema that ' +
      `accepts any value, or close the content model (\`additionalProperties: false\`) in a release of its own first; or ${newMajorFix(event)}`
    );
  }
  if (d.ruleId === 'jsonschema/property-removed' && !d.backward) {
    return `the new schema is closed, so it rejects old messages that still carry the property: keep it declared (optional, deprecated); or ${newMajorFix(event)}`;
  }
  if (d.ruleId === 'jsonschema/required-property-added' || d.ruleId === 'jsonschema/property-made-required') {
    return `make it optional with a documented default (old messages lack it); or ${newMajorFix(event)}`;
  }
  return `${mode === 'NONE' ? '' : `stay within ${mode}, or `}${newMajorFix(event)}`;
}

export function diffJsonSchemaPayloads(
  head: Registry,
  base: LabelledRegistry,
  history: readonly LabelledRegistry[],
): JsonSchemaPayloadResult {
  const changes: ChangeDraft[] = [];
  const diagnostics: Diagnostic[] = [];
  const modes = new Map<string, CompatibilityMode>();
  const baseByType = new Map(base.registry.events.map((e) => [e.type, e]));

  for (const after of head.events) {
    if (after.payload.kind === 'protobuf') continue; // JSON Schema, and Avro through its JSON view
    const before = baseByType.get(after.type);
    if (before === undefined || before.payload.kind !== after.payload.kind) continue;
    const reading = readCompatibilityMode(rawMessageOf(head, after)?.['x-eventkit-compatibility']);
    if ('error' in reading) {
      diagnostics.push({
        ruleId: 'compat-mode-invalid',
        severity: 'error',
        message: `${after.type}: ${reading.error}`,
        location: after.location,
        hint: 'set x-eventkit-compatibility on the message to BACKWARD (default), FORWARD, FULL, their _TRANSITIVE forms, or NONE',
      });
      continue;
    }
    const mode = reading.mode;
    modes.set(after.type, mode);

    const versions: LabelledRegistry[] = [base];
    if (isTransitive(mode)) versions.push(...history);
    const reported = new Map<string, number>();
    for (const [index, version] of versions.entries()) {
      const old = index === 0 ? before : version.registry.events.find((e) => e.type === after.type);
      if (old === undefined || old.payload.kind !== after.payload.kind) continue;
      for (const d of diffSchemas(old.payload.jsonSchema, after.payload.jsonSchema)) {
        const breaking = violatesMode(mode, d);
        const key = `${d.ruleId} ${d.pointer}`;
        const earlier = reported.get(key);
        // Older versions only add what base did not already show as breaking.
        if (index > 0 && (!breaking || (earlier !== undefined && changes[earlier]?.class === 'breaking')))
          continue;
        const draft: ChangeDraft = {
          ruleId: d.ruleId,
          source: 'jsonschema',
          class: breaking ? 'breaking' : 'non-breaking',
          event: after.type,
          message: `${d.message} [${mode}${index > 0 ? `, against ${version.label}` : ''}; new readers ${d.backward ? 'accept' : 'reject'} old data, old readers ${d.forward ? 'accept' : 'reject'} new data]`,
          location: { ...after.location, pointer: `${after.location.pointer ?? ''}/payload${d.pointer}` },
          fieldPaths: [d.fieldPath],
          deployOrder: deployOrderFor(d),
          fix: breaking ? fixFor(d, before, mode) : undefined,
        };
        if (earlier !== undefined) changes[earlier] = draft;
        else {
          reported.set(key, changes.length);
          changes.push(draft);
        }
      }
    }
  }
  return { changes, diagnostics, modes };
}
