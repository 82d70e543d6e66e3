// YAML/JSON text with positions: maps JSON pointers to `line:column` with the `yaml` package's LineCounter.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

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
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const errors = document.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { message: firstLine(error.message), line: pos.line, column: pos.col };
  });
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
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
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

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
