// Appends an event's proto message to `<context>/v<N>/events.proto` (created with its package line when new).

import { ScaffoldError } from './errors.ts';
import type { EventNames } from './event-name.ts';

const timestampImport = 'import "google/protobuf/timestamp.proto";';

/** The proto text of a new file for the package of `names`. */
export function newProtoFile(names: EventNames, description: string): string {
  return `syntax = "proto3";\n\npackage ${names.protoPackage};\n\n${timestampImport}\n\n// ${description}\n`;
}

/** `text` with the message of `names` appended (and the Timestamp import added when missing). */
export function addEventToProto(text: string, names: EventNames, file: string): string {
  if (new RegExp(`^\\s*message\\s+${names.name}\\s*\\{`, 'm').test(text))
    throw new ScaffoldError(`${file} already defines message ${names.name}: ${names.type} exists`, {
      kind: 'bad-input',
      file,
    });
  const packageLine = /^package\s+([\w.]+)\s*;/m.exec(text);
  if (packageLine?.[1] !== names.protoPackage)
    throw new ScaffoldError(`${file} is not package ${names.protoPackage}`, { kind: 'bad-input', file });
  let out = text;
  if (!out.includes(timestampImport)) {
    const end = packageLine.index + packageLine[0].length;
    out = `${out.slice(0, end)}\n\n${timestampImport}${out.slice(end)}`;
  }
  const message = [
    `// ${names.name}: what happened, in the past tense. Add the facts consumers need (new field numbers only).`,
    `message ${names.name} {`,
    `  // Partition key of the subject ${names.address}.`,
    `  string ${names.keyField} = 1;`,
    '  // When it happened.',
    '  google.protobuf.Timestamp occurred_at = 2;',
    '}',
  ].join('\n');
  return `${out.replace(/\s*$/, '')}\n\n${message}\n`;
}

/** The example payload of a new event (proto3 JSON view): its key and time. */
export function examplePayload(names: EventNames): { payload: Record<string, unknown>; key: string } {
  const key = `${names.keyJson.replace(/Id$/, '').slice(0, 3) || 'id'}_1`;
  return { key, payload: { [names.keyJson]: key, occurredAt: '2026-01-01T09:00:00Z' } };
}
