// Line numbers inside JSON files (pact files, the results matrix), so diagnostics can say `file:line`.
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { lineColumnAt } from '../model/diagnostics.ts';
import { nestingMessage, tooDeepAt } from '../model/input-limits.ts';

export interface JsonSource {
  readonly value: unknown;
  /** 1-based line of the node at `path` (object keys / array indexes); the closest existing parent otherwise. */
  lineOf(path: readonly (string | number)[]): number;
}

/** Parses JSON text, or throws a SyntaxError whose message carries the 1-based line. */
export function parseJsonSource(text: string): JsonSource {
  // Deeper nesting than any contract needs would overflow the stack of every recursive reader after us.
  const tooDeep = tooDeepAt(text);
  if (tooDeep !== undefined)
    throw new JsonSyntaxError(`the JSON ${nestingMessage()}`, lineColumnAt(text, tooDeep).line);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new JsonSyntaxError(message, lineOfSyntaxError(text, message));
  }
  let document: ReturnType<typeof parseDocument> | undefined;
  const lineCounter = new LineCounter();
  return {
    value,
    lineOf(path) {
      // JSON is YAML; the yaml package keeps source ranges we can turn into lines. Parsed lazily: most
      // files never need a line.
      document ??= parseDocument(text, { lineCounter, keepSourceTokens: false });
      let node: unknown = document.contents;
      let offset = 0;
      for (const key of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => String((item.key as { value?: unknown } | null)?.value) === String(key),
          );
          if (pair === undefined) break;
          // Point at the key (`"total": {`), which is where a reader looks for the field.
          offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number' && node.items[key] !== undefined) {
          node = node.items[key];
          offset = (node as { range?: number[] }).range?.[0] ?? offset;
        } else {
          break;
        }
      }
      return lineCounter.linePos(offset).line;
    },
  };
}

export class JsonSyntaxError extends SyntaxError {
  override readonly name = 'JsonSyntaxError';
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

function lineOfSyntaxError(text: string, message: string): number {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return text.slice(0, Number(position)).split('\n').length;
  const line = /line (\d+)/.exec(message)?.[1];
  if (line !== undefined) return Number(line);
  // "Unexpected end of JSON input": the problem is at the end.
  return text.split('\n').length;
}

/** JSON with keys sorted at every level, 2-space indent and a final newline: stable bytes for committed files. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
