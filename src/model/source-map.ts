// YAML/JSON text with positions: maps JSON pointers to `line:column` with the `yaml` package's LineCounter.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLMap,
} from 'yaml';

export interface TextPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface YamlSyntaxError extends TextPosition {
  readonly message: string;
}

export interface YamlSource {
  /** The document as plain JSON values (undefined when the text is empty). */
  readonly value: unknown;
  readonly errors: readonly YamlSyntaxError[];
  /** Position of the element at the pointer (its key for mapping entries), or of its nearest existing ancestor. */
  locate(pointer: string | readonly (string | number)[]): TextPosition;
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/' || pointer === '#') return [];
  return pointer
    .replace(/^#/, '')
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.length === 0
    ? ''
    : `/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below in linear time: the yaml package's `uniqueKeys` compares every pair
  // of a mapping with every other (a config with 600k rule keys never finished).
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true });
  const errors = document.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { message: firstLine(error.message), line: pos.line, column: pos.col };
  });
  if (errors.length === 0) {
    const tagged = firstNonJsonTag(document.contents as Node | null);
    if (tagged) {
      const pos = lineCounter.linePos(tagged.offset);
      errors.push({
        message: `the YAML tag ${tagged.tag} is not allowed: documents hold JSON values (strings, numbers, booleans, null, lists, maps)`,
        line: pos.line,
        column: pos.col,
      });
    }
    const duplicate = tagged ? undefined : firstDuplicateKey(document.contents as Node | null);
    if (duplicate) {
      const pos = lineCounter.linePos(duplicate.offset);
      errors.push({
        message: `Map keys must be unique: "${duplicate.key}"`,
        line: pos.line,
        column: pos.col,
      });
    }
  }
  const keyIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = keyIndex.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        const name = String(item.key.value);
        if (!index.has(name)) index.set(name, item);
      }
      keyIndex.set(map, index);
    }
    return index.get(key);
  };
  let value: unknown;
  try {
    value = errors.length === 0 ? document.toJS({ maxAliasCount: 1000 }) : undefined;
  } catch (error) {
    errors.push({
      message: error instanceof Error ? firstLine(error.message) : String(error),
      line: 1,
      column: 1,
    });
  }
  const position = (offset: number): TextPosition => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    value,
    errors,
    locate(pointer) {
      const segments = typeof pointer === 'string' ? pointerSegments(pointer) : pointer.map(String);
      let node: Node | null | undefined = document.contents as Node | null;
      let best: TextPosition = position(node?.range?.[0] ?? 0);
      for (const segment of segments) {
        if (isMap(node)) {
          const pair = pairOf(node, segment);
          if (!pair) break;
          const keyNode = pair.key as Node;
          best = position(keyNode.range?.[0] ?? 0);
          node = pair.value as Node | null;
        } else if (isSeq(node)) {
          const item = node.items[Number(segment)] as Node | undefined;
          if (!item) break;
          best = position(item.range?.[0] ?? 0);
          node = item;
        } else {
          break;
        }
      }
      return best;
    },
  };
}

const jsonTags = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge'].map((t) => `tag:yaml.org,2002:${t}`),
);

/** The first explicitly tagged node whose tag makes a non-JSON value (`!!binary`, `!!set`, `!!timestamp`). */
function firstNonJsonTag(contents: Node | null): { tag: string; offset: number } | undefined {
  let found: { tag: string; offset: number } | undefined;
  if (!contents) return undefined;
  const check = (node: Node) => {
    if (node.tag && !jsonTags.has(node.tag)) {
      found = { tag: node.tag.replace('tag:yaml.org,2002:', '!!'), offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    }
    return undefined;
  };
  visit(contents, { Scalar: (_k, n) => check(n), Map: (_k, n) => check(n), Seq: (_k, n) => check(n) });
  return found;
}

/** The first key that repeats in a mapping of the document (merge keys `<<` excepted). */
function firstDuplicateKey(contents: Node | null): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  if (!contents) return undefined;
  visit(contents, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        const name = String(item.key.value);
        if (name === '<<') continue;
        if (seen.has(name)) {
          found = { key: name, offset: item.key.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(name);
      }
      return undefined;
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
