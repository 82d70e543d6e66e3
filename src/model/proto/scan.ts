// A light scan of .proto text for source positions (protobufjs keeps none): messages, enums, fields,
// enum values and imports. Keys: `pkg.Message`, `pkg.Message#field`, `pkg.Enum#VALUE`, `import:path`.
import type { TextPosition } from '../source-map.ts';

const tokenPattern = new RegExp(
  [
    String.raw`\b(message|enum|oneof|service|extend)\s+([\w.]+)\s*\{`,
    String.raw`\bimport\s+(?:public\s+|weak\s+)?"([^"]+)"`,
    String.raw`\bpackage\s+([\w.]+)\s*;`,
    String.raw`(?:\b(?:repeated|optional|required)\s+)?(map\s*<[^>]*>|[.\w]+)\s+(\w+)\s*=\s*(\d+)`,
    String.raw`\b(\w+)\s*=\s*(-?\d+)`,
    String.raw`\{`,
    String.raw`\}`,
  ].join('|'),
  'g',
);

/** Replaces comments and string contents with spaces so offsets stay the same. */
function blankComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
}

export interface ProtoScan {
  readonly package?: string;
  readonly positions: ReadonlyMap<string, TextPosition>;
}

export function scanProto(source: string): ProtoScan {
  const text = blankComments(source);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const positionOf = (offset: number): TextPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
  const positions = new Map<string, TextPosition>();
  let pkg: string | undefined;
  const stack: { kind: string; name?: string }[] = [];
  const scope = () => {
    const names = stack.filter((s) => s.kind === 'message' || s.kind === 'enum').map((s) => s.name as string);
    return [pkg, ...names].filter(Boolean).join('.');
  };
  for (const m of text.matchAll(tokenPattern)) {
    const offset = m.index ?? 0;
    const top = stack[stack.length - 1];
    if (m[1]) {
      const kind = m[1];
      const name = m[2] as string;
      stack.push({ kind, name });
      if (kind === 'message' || kind === 'enum')
        positions.set(scope(), positionOf(offset + m[0].indexOf(name)));
    } else if (m[3]) {
      positions.set(`import:${m[3]}`, positionOf(offset));
    } else if (m[4]) {
      pkg = m[4];
    } else if (m[6]) {
      if (top && (top.kind === 'message' || top.kind === 'oneof')) {
        positions.set(`${scope()}#${m[6]}`, positionOf(offset));
      }
    } else if (m[8]) {
      if (top?.kind === 'enum') positions.set(`${scope()}#${m[8]}`, positionOf(offset));
    } else if (m[0] === '{') {
      stack.push({ kind: 'block' });
    } else if (m[0] === '}') {
      stack.pop();
    }
  }
  return { ...(pkg ? { package: pkg } : {}), positions };
}
