// Turns buf findings into per-event changes (with the payload paths they touch), and adds the
// non-breaking proto changes buf does not report (new fields, new enum values) with their deploy order.
import type { EventModel, FieldModel, Registry } from '../model/types.ts';
import type { BufFinding } from './proto-buf.ts';
import { newMajorFix } from './registry-lookup.ts';
import type { ChangeDraft } from './types.ts';

/** Every place a type occurs in an event's payload: type name → JSON paths of fields of that type ('' = the payload). */
interface TypeOccurrences {
  readonly paths: Map<string, string[]>;
  /** type name → the fields of that message type (first occurrence). */
  readonly fields: Map<string, readonly FieldModel[]>;
}

function typeNamesIn(display: string): string[] {
  // `map<string, common.v1.Money>` → [`string`, `common.v1.Money`].
  const m = /^map<\s*([^,]+),\s*([^>]+)>$/.exec(display);
  return m ? [m[1]?.trim() ?? '', m[2]?.trim() ?? ''] : [display];
}

function occurrences(event: EventModel): TypeOccurrences {
  const paths = new Map<string, string[]>();
  const fields = new Map<string, readonly FieldModel[]>();
  if (event.payload.kind !== 'protobuf') return { paths, fields };
  const add = (type: string, at: string) => {
    const list = paths.get(type) ?? [];
    if (!list.includes(at)) list.push(at);
    paths.set(type, list);
  };
  const visit = (list: readonly FieldModel[], prefix: string, depth: number) => {
    for (const f of list) {
      const at =
        (prefix === '' ? f.name : `${prefix}.${f.name}`) + (f.repeated || f.kind === 'map' ? '[]' : '');
      for (const t of typeNamesIn(f.type)) add(t, at);
      if (f.fields !== undefined && depth < 16) {
        const nestedType = typeNamesIn(f.type).at(-1) ?? f.type;
        if (!fields.has(nestedType)) fields.set(nestedType, f.fields);
        visit(f.fields, at, depth + 1);
      }
    }
  };
  add(event.payload.messageType, '');
  fields.set(event.payload.messageType, event.payload.fields);
  visit(event.payload.fields, '', 0);
  return { paths, fields };
}

function joinPath(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** The package a proto file declares, from either registry. */
function packageOf(file: string, registries: readonly Registry[]): string | undefined {
  for (const r of registries) {
    const found = r.protoFiles.find((p) => p.file === file);
    if (found !== undefined) return found.package;
  }
  return undefined;
}

function fixFor(rule: string, event: EventModel | undefined): string {
  const major =
    event === undefined ? 'publish a new major version (new package `<context>.v<N+1>`)' : newMajorFix(event);
  if (rule.startsWith('FIELD_NO_DELETE') || rule.startsWith('ENUM_VALUE_NO_DELETE')) {
    return `first mark it \`[deprecated = true]\` and wait until no consumer reads it, then delete it and add \`reserved\` for its number and name; or ${major}`;
  }
  if (rule === 'FIELD_SAME_JSON_NAME' || rule === 'FIELD_SAME_NAME') {
    return `keep the field name (the JSON view is part of the contract), add a new field instead; or ${major}`;
  }
  return major;
}

/**
 * One change per buf finding and affected event. A finding on a type used by no event payload is kept
 * (event undefined) so nothing buf says is lost.
 */
export function bufFindingsToChanges(
  findings: readonly BufFinding[],
  base: Registry,
  head: Registry,
): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  const headTypes = new Set(head.events.map((e) => e.type));
  const events = base.events.filter((e) => e.payload.kind === 'protobuf' && headTypes.has(e.type));
  const headByType = new Map(head.events.map((e) => [e.type, e]));
  const occ = new Map(events.map((e) => [e.type, occurrences(e)]));
  const headOcc = new Map(events.map((e) => [e.type, occurrences(headByType.get(e.type) ?? e)]));

  for (const finding of findings) {
    const owner = /on (message|enum) "([^"]+)"/.exec(finding.message);
    const fieldNumber = /[Ff]ield "(\d+)"/.exec(finding.message)?.[1];
    const pkg = packageOf(finding.file, [head, base]);
    const shortName = owner?.[2];
    const matchesType = (full: string) =>
      shortName !== undefined &&
      (pkg === undefined || full.startsWith(`${pkg}.`)) &&
      (full === `${pkg}.${shortName}` || full.endsWith(`.${shortName}`));

    let matched = 0;
    for (const event of events) {
      const o = occ.get(event.type);
      const h = headOcc.get(event.type);
      if (o === undefined || h === undefined) continue;
      const fieldPaths = new Set<string>();
      for (const [type, paths] of [...o.paths, ...h.paths]) {
        if (!matchesType(type)) continue;
        for (const at of paths) {
          if (owner?.[1] === 'message' && fieldNumber !== undefined) {
            const field = (o.fields.get(type) ?? h.fields.get(type) ?? []).find(
              (f) => String(f.number) === fieldNumber,
            );
            const headField = (h.fields.get(type) ?? []).find((f) => String(f.number) === fieldNumber);
            if (field !== undefined) fieldPaths.add(joinPath(at, field.name));
            if (headField !== undefined) fieldPaths.add(joinPath(at, headField.name));
            if (field === undefined && headField === undefined) fieldPaths.add(at);
          } else {
            fieldPaths.add(at);
          }
        }
      }
      if (fieldPaths.size === 0) continue;
      matched += 1;
      out.push({
        ruleId: `buf/${finding.rule}`,
        source: 'protobuf',
        class: 'breaking',
        event: event.type,
        message: finding.message,
        location: { file: finding.file, line: finding.line, column: finding.column },
        fieldPaths: [...fieldPaths].sort(),
        deployOrder: 'new-major',
        fix: fixFor(finding.rule, event),
      });
    }
    if (matched === 0) {
      out.push({
        ruleId: `buf/${finding.rule}`,
        source: 'protobuf',
        class: 'breaking',
        message: `${finding.message} (no event published in base uses this type)`,
        location: { file: finding.file, line: finding.line, column: finding.column },
        deployOrder: 'new-major',
        fix: fixFor(finding.rule, undefined),
      });
    }
  }
  return out;
}

/** Non-breaking proto changes buf stays silent about, for events whose payload message is unchanged. */
export function protoAdditions(base: Registry, head: Registry): ChangeDraft[] {
  const out: ChangeDraft[] = [];
  const baseByType = new Map(base.events.map((e) => [e.type, e]));
  for (const after of head.events) {
    const before = baseByType.get(after.type);
    if (before === undefined || before.payload.kind !== 'protobuf' || after.payload.kind !== 'protobuf')
      continue;
    if (before.payload.messageType !== after.payload.messageType) continue;
    const seen = new Set<string>();
    compareFields(before.payload.fields, after.payload.fields, '', after, out, seen, 0);
  }
  return out;
}

function compareFields(
  before: readonly FieldModel[],
  after: readonly FieldModel[],
  prefix: string,
  event: EventModel,
  out: ChangeDraft[],
  seen: Set<string>,
  depth: number,
): void {
  const byNumber = new Map(before.map((f) => [f.number ?? f.name, f]));
  for (const f of after) {
    const old = byNumber.get(f.number ?? f.name);
    const at = joinPath(prefix, f.name);
    const location = f.location ?? event.location;
    if (old === undefined) {
      out.push({
        ruleId: 'proto/field-added',
        source: 'protobuf',
        class: 'non-breaking',
        event: event.type,
        message: `field \`${at}\` (${f.type}${f.number === undefined ? '' : ` = ${f.number}`}) added; consumers see its default value on messages already in the stream`,
        location,
        fieldPaths: [at],
        deployOrder: 'consumers-first',
        fix: 'deploy consumers that tolerate the new field (JSON-view decoders must ignore unknown fields) before the producer sends it',
      });
      continue;
    }
    if (f.kind === 'enum' && old.kind === 'enum' && f.type === old.type && !seen.has(`enum ${f.type}`)) {
      seen.add(`enum ${f.type}`);
      const oldNames = new Set((old.enumValues ?? []).map((v) => v.name));
      const added = (f.enumValues ?? []).filter((v) => !oldNames.has(v.name));
      if (added.length > 0) {
        out.push({
          ruleId: 'proto/enum-value-added',
          source: 'protobuf',
          class: 'non-breaking',
          event: event.type,
          message: `enum \`${f.type}\` (field \`${at}\`) gained ${added.map((v) => `\`${v.name}\``).join(', ')}; old consumers cannot map the new value`,
          location,
          fieldPaths: [at],
          deployOrder: 'consumers-first',
          fix: 'deploy consumers that handle (or tolerate) the new value before the producer emits it',
        });
      }
    }
    if (!old.deprecated && f.deprecated) {
      out.push({
        ruleId: 'proto/field-deprecated',
        source: 'protobuf',
        class: 'non-breaking',
        event: event.type,
        message: `field \`${at}\` is now deprecated`,
        location,
        fieldPaths: [at],
        deployOrder: 'any',
      });
    }
    if (f.fields !== undefined && old.fields !== undefined && f.type === old.type && depth < 16) {
      const nested = at + (f.repeated || f.kind === 'map' ? '[]' : '');
      compareFields(old.fields, f.fields, nested, event, out, seen, depth + 1);
    }
  }
}
