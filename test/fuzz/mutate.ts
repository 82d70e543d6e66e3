// Mutators of valid inputs: line and character edits for any text, scalar and key edits for YAML and proto,
// and structural edits for JSON (types, keys, nesting). Each returns the mutated text and a short label
// that names the mutation in the case name.
import type { Rng } from './prng.ts';

export interface Mutation {
  readonly text: string;
  readonly label: string;
}

/** Values a hostile or careless author puts where a scalar belongs (YAML/proto source text). */
export const hostileScalars: readonly string[] = [
  '1e400',
  '-1',
  '99999999999999999999999999999999',
  '0x1F',
  '.nan',
  '-.inf',
  '~',
  'null',
  'true',
  '[]',
  '{}',
  '""',
  '"\\0"',
  '"\\u0007bell"',
  '"\\u202Eevil"',
  '"😀 émoji ǅ"',
  '"../../../victim"',
  '"a/b"',
  '"a\\\\b"',
  '__proto__',
  'constructor',
  'toString',
  '!!binary aGVsbG8=',
  '*undefinedAlias',
  '&loop [*loop]',
  '"#/components/messages/Nope"',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CI-template placeholder, meant as literal text
  '"${{ x }}"',
  `"${'x'.repeat(20_000)}"`,
  "'unterminated",
  '"\\uD800"',
];

/** Characters that break parsers and terminals. */
const hostileChars: readonly string[] = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\t',
  '\r',
  '\uFEFF',
  '\u202E',
  '\uD800',
  '\u2028',
  '😀',
  ':',
  '#',
  '{',
  '"',
  "'",
  '\\',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
];

const keysWithPrototypeMeaning = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
];

function lines(text: string): string[] {
  return text.split('\n');
}

/** Line and character mutations that apply to any text format. */
export function mutateText(rng: Rng, text: string): Mutation {
  const all = lines(text);
  const at = rng.int(all.length);
  switch (rng.int(9)) {
    case 0: {
      all.splice(at, 1);
      return { text: all.join('\n'), label: `delete line ${at + 1}` };
    }
    case 1: {
      all.splice(at, 0, all[at] ?? '');
      return { text: all.join('\n'), label: `duplicate line ${at + 1}` };
    }
    case 2: {
      const other = rng.int(all.length);
      [all[at], all[other]] = [all[other] ?? '', all[at] ?? ''];
      return { text: all.join('\n'), label: `swap lines ${at + 1} and ${other + 1}` };
    }
    case 3: {
      const cut = rng.int(text.length);
      return { text: text.slice(0, cut), label: `truncate at ${cut}` };
    }
    case 4: {
      const from = rng.int(text.length);
      const length = 1 + rng.int(40);
      return {
        text: text.slice(0, from) + text.slice(from + length),
        label: `cut ${length} chars at ${from}`,
      };
    }
    case 5: {
      const where = rng.int(text.length);
      const char = rng.pick(hostileChars);
      return {
        text: text.slice(0, where) + char + text.slice(where),
        label: `insert U+${(char.codePointAt(0) ?? 0).toString(16)} at ${where}`,
      };
    }
    case 6: {
      const line = all[at] ?? '';
      all[at] = rng.chance(0.5) ? `  ${line}` : line.replace(/^ {1,2}/, '');
      return { text: all.join('\n'), label: `re-indent line ${at + 1}` };
    }
    case 7: {
      const to = rng.int(all.length);
      const [moved] = all.splice(at, 1);
      all.splice(to, 0, moved ?? '');
      return { text: all.join('\n'), label: `move line ${at + 1} to ${to + 1}` };
    }
    default: {
      const count = 2 + rng.int(4);
      const copy = all.slice(at, at + count);
      all.splice(at + count, 0, ...copy);
      return { text: all.join('\n'), label: `repeat lines ${at + 1}-${at + count}` };
    }
  }
}

/** YAML mutations: scalars of the wrong type, prototype keys, `$ref` cycles and escapes, deep nesting. */
export function mutateYaml(rng: Rng, text: string): Mutation {
  const all = lines(text);
  const valued = all.flatMap((line, index) => (/^\s*[^#\s][^:]*: \S/.test(line) ? [index] : []));
  const keyed = all.flatMap((line, index) => (/^\s*[\w$-]+:/.test(line) ? [index] : []));
  const refs = all.flatMap((line, index) => (line.includes('$ref:') ? [index] : []));
  switch (rng.int(7)) {
    case 0: {
      const at = rng.pick(valued);
      const scalar = rng.pick(hostileScalars);
      all[at] = (all[at] ?? '').replace(/: .*$/, `: ${scalar}`);
      return { text: all.join('\n'), label: `scalar ${scalar.slice(0, 24)} on line ${at + 1}` };
    }
    case 1: {
      const at = rng.pick(keyed);
      const key = rng.pick(keysWithPrototypeMeaning);
      const line = all[at] ?? '';
      all[at] = line.replace(/^(\s*)[\w$-]+:/, `$1${key}:`);
      return { text: all.join('\n'), label: `key ${key} on line ${at + 1}` };
    }
    case 2: {
      // A cycle of two components (A → B → A), with a channel message pointing into it.
      const at = refs.length > 0 ? rng.pick(refs) : 0;
      all[at] = (all[at] ?? '').replace(/\$ref: .*$/, '$ref: "#/components/messages/CycleA"');
      const tail = [
        '    CycleA:',
        '      $ref: "#/components/messages/CycleB"',
        '    CycleB:',
        '      $ref: "#/components/messages/CycleA"',
      ];
      const messagesAt = all.findIndex((line) => /^ {2}messages:/.test(line));
      if (messagesAt >= 0) all.splice(messagesAt + 1, 0, ...tail);
      else all.push('components:', '  messages:', ...tail);
      return { text: all.join('\n'), label: `$ref cycle from line ${at + 1}` };
    }
    case 3: {
      const at = refs.length > 0 ? rng.pick(refs) : rng.int(all.length);
      const target = rng.pick([
        '"/etc/passwd"',
        '"../../../../etc/passwd#/x"',
        '"./nope.yaml#/components/messages/X"',
        '"#"',
        '"#/"',
        '"#/channels"',
        '"http://127.0.0.1:1/x.yaml"',
        '"file:///etc/hostname"',
        '"./shop.yaml#/components/messages/Nope"',
        '"#/components/messages/OrderPlacedV1/payload"',
        '"\\u0000"',
        '42',
      ]);
      all[at] = (all[at] ?? '').replace(/\$ref: .*$/, `$ref: ${target}`);
      return { text: all.join('\n'), label: `$ref ${target} on line ${at + 1}` };
    }
    case 4: {
      const at = rng.pick(valued);
      const depth = rng.pick([200, 2_000, 20_000]);
      all[at] = (all[at] ?? '').replace(/: .*$/, `: ${'['.repeat(depth)}${']'.repeat(depth)}`);
      return { text: all.join('\n'), label: `nesting ${depth} on line ${at + 1}` };
    }
    case 5: {
      const at = rng.pick(keyed);
      const indent = /^\s*/.exec(all[at] ?? '')?.[0] ?? '';
      const key = rng.pick(keysWithPrototypeMeaning);
      all.splice(at + 1, 0, `${indent}${key}: { polluted: true }`);
      return { text: all.join('\n'), label: `extra key ${key} after line ${at + 1}` };
    }
    default: {
      const count = rng.pick([100, 5_000]);
      const anchors = Array.from({ length: 6 }, (_, i) =>
        i === 0
          ? 'a0: &a0 [x, x, x, x, x, x, x, x]'
          : `a${i}: &a${i} [${Array(8)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
      );
      const extra = [
        `x-bomb:`,
        ...anchors.map((line) => `  ${line}`),
        `x-many: [${Array(count).fill('1').join(', ')}]`,
      ];
      return { text: `${text.trimEnd()}\n${extra.join('\n')}\n`, label: `alias bomb and ${count} items` };
    }
  }
}

/** proto mutations: bad field numbers, types and names, broken syntax, imports that escape. */
export function mutateProto(rng: Rng, text: string): Mutation {
  const all = lines(text);
  const fields = all.flatMap((line, index) => (/=\s*\d+\s*;/.test(line) ? [index] : []));
  switch (rng.int(6)) {
    case 0: {
      const at = rng.pick(fields);
      const number = rng.pick(['0', '-1', '19000', '536870912', '99999999999999999999', '1e3', '0x10', '']);
      all[at] = (all[at] ?? '').replace(/=\s*\d+\s*;/, `= ${number};`);
      return { text: all.join('\n'), label: `field number ${number} on line ${at + 1}` };
    }
    case 1: {
      const at = rng.pick(fields);
      const type = rng.pick([
        'Nope',
        'map<string>',
        'repeated repeated string',
        'google.protobuf.Nope',
        '__proto__',
        'int128',
      ]);
      all[at] = (all[at] ?? '').replace(/^(\s*)(repeated\s+|optional\s+)?[\w.]+/, `$1${type}`);
      return { text: all.join('\n'), label: `field type ${type} on line ${at + 1}` };
    }
    case 2: {
      const at = rng.pick(fields);
      const name = rng.pick(['constructor', '__proto__', 'class', 'toString', '1abc', 'ünïcode', 'a-b']);
      all[at] = (all[at] ?? '').replace(/(\s)(\w+)(\s*=)/, `$1${name}$3`);
      return { text: all.join('\n'), label: `field name ${name} on line ${at + 1}` };
    }
    case 3: {
      const line = rng.pick([
        'import "../../../../etc/passwd";',
        'import "nope/missing.proto";',
        'import "shop/v1/events.proto";',
        'package ;',
        'package shop.v1;',
        'syntax = "proto2";',
        'syntax = "proto4";',
        'option (nope) = true;',
        'message { }',
        'message OrderPlaced { }',
        'enum Empty { }',
      ]);
      all.splice(1 + rng.int(all.length - 1), 0, line);
      return { text: all.join('\n'), label: `line ${line}` };
    }
    case 4: {
      const depth = rng.pick([50, 1_000]);
      const nested = `${'message N { '.repeat(depth)}${'}'.repeat(depth)}`;
      return { text: `${text.trimEnd()}\n${nested}\n`, label: `messages nested ${depth} deep` };
    }
    default: {
      const at = rng.int(all.length);
      all[at] = (all[at] ?? '').replace(/[;{}]/, '');
      return { text: all.join('\n'), label: `drop punctuation on line ${at + 1}` };
    }
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Placeholders replaced by raw JSON text after stringify (values JSON.stringify cannot write). */
const raw = new Map<string, string>([
  ['\u0001huge\u0001', '1e400'],
  ['\u0001bigint\u0001', '123456789012345678901234567890'],
  ['\u0001negzero\u0001', '-0'],
  ['\u0001deep\u0001', `${'['.repeat(5_000)}${']'.repeat(5_000)}`],
  ['\u0001deepobj\u0001', `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`],
]);

const hostileJsonValues: readonly Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  '',
  ' ',
  '\u0000',
  '\u001b[2J',
  '../../../victim',
  'a/b',
  '__proto__',
  '😀',
  'x'.repeat(50_000),
  [],
  {},
  [null],
  { __proto__: null } as unknown as Json,
  '\u0001huge\u0001',
  '\u0001bigint\u0001',
  '\u0001negzero\u0001',
  '\u0001deep\u0001',
  '\u0001deepobj\u0001',
];

/** Every container path of a JSON value, with its parent and key. */
function slots(value: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const out: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        out.push({ parent: node, key: index });
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        out.push({ parent: node, key });
        walk(node[key] as Json);
      }
    }
  };
  walk(value);
  return out;
}

function setOwn(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON mutations: a value of another type, a removed or renamed key, prototype keys, deep nesting. */
export function mutateJson(rng: Rng, text: string): Mutation {
  if (rng.chance(0.25)) return mutateText(rng, text);
  const document = JSON.parse(text) as Json;
  const all = slots(document);
  if (all.length === 0) return mutateText(rng, text);
  const slot = rng.pick(all);
  const name = String(slot.key);
  let label: string;
  const op = rng.int(5);
  if (op === 0) {
    const value = rng.pick(hostileJsonValues);
    if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = value;
    else setOwn(slot.parent, name, value);
    label = `${name} = ${JSON.stringify(value)?.slice(0, 24)}`;
  } else if (op === 1) {
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else delete slot.parent[name];
    label = `remove ${name}`;
  } else if (op === 2 && !Array.isArray(slot.parent)) {
    const key = rng.pick(keysWithPrototypeMeaning);
    const value = slot.parent[name] as Json;
    delete slot.parent[name];
    setOwn(slot.parent, key, value);
    label = `rename ${name} to ${key}`;
  } else if (op === 3 && !Array.isArray(slot.parent)) {
    const key = rng.pick(keysWithPrototypeMeaning);
    setOwn(slot.parent, key, { polluted: true, toString: 'x' });
    label = `add key ${key} beside ${name}`;
  } else {
    const value = (Array.isArray(slot.parent) ? slot.parent[slot.key as number] : slot.parent[name]) as Json;
    const changed: Json =
      typeof value === 'string'
        ? Number.isNaN(Number(value))
          ? 7
          : [value]
        : typeof value === 'number'
          ? String(value)
          : Array.isArray(value)
            ? { ...value }
            : value !== null && typeof value === 'object'
              ? Object.values(value)
              : 'string';
    if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = changed;
    else setOwn(slot.parent, name, changed);
    label = `${name} changes type`;
  }
  let out = JSON.stringify(document, null, 2) ?? '';
  for (const [placeholder, replacement] of raw)
    out = out.split(JSON.stringify(placeholder)).join(replacement);
  return { text: `${out}\n`, label };
}
