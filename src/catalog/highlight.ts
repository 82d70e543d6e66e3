// Build-time syntax highlighting for proto sources, JSON examples and TypeScript snippets: a small tokenizer
// each, emitting escaped HTML with `tok-*` classes (no client-side highlighter is shipped).

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

const span = (cls: string, text: string): string => `<span class="tok-${cls}">${escapeHtml(text)}</span>`;

const PROTO_KEYWORDS = new Set([
  'syntax',
  'package',
  'import',
  'option',
  'message',
  'enum',
  'repeated',
  'optional',
  'map',
  'oneof',
  'reserved',
  'service',
  'rpc',
  'returns',
  'stream',
  'extend',
  'public',
  'weak',
  'to',
  'max',
  'edition',
]);
const PROTO_TYPES = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);
const TS_KEYWORDS = new Set([
  'import',
  'from',
  'export',
  'const',
  'let',
  'await',
  'async',
  'return',
  'type',
  'interface',
  'new',
  'if',
  'else',
  'function',
  'true',
  'false',
  'null',
  'undefined',
  'throw',
  'for',
  'of',
]);

type Rule = readonly [RegExp, string | ((m: string) => string)];

/**
 * Tokenizes with one global regex built from the rules' alternatives (one pass, no per-character rule loop);
 * characters no rule matches are copied through escaped.
 */
function compile(rules: readonly Rule[]): (source: string) => string {
  const combined = new RegExp(rules.map(([re]) => `(${re.source})`).join('|'), 'g');
  const classes = rules.map(([, cls]) => cls);
  return (source) => {
    let out = '';
    let last = 0;
    combined.lastIndex = 0;
    for (let m = combined.exec(source); m !== null; m = combined.exec(source)) {
      if (m[0].length === 0) {
        combined.lastIndex++;
        continue;
      }
      if (m.index > last) out += escapeHtml(source.slice(last, m.index));
      let group = 1;
      while (m[group] === undefined) group++;
      const cls = classes[group - 1];
      const c = typeof cls === 'function' ? cls(m[0]) : cls;
      out += c ? span(c, m[0]) : escapeHtml(m[0]);
      last = m.index + m[0].length;
    }
    return out + escapeHtml(source.slice(last));
  };
}

const protoRules: readonly Rule[] = [
  [/\/\/[^\n]*/, 'comment'],
  [/\/\*[\s\S]*?\*\//, 'comment'],
  [/"(?:[^"\\\n]|\\.)*"/, 'string'],
  [/\b\d+\b/, 'number'],
  [
    /[A-Za-z_][A-Za-z0-9_.]*/,
    (w) =>
      PROTO_KEYWORDS.has(w)
        ? 'keyword'
        : PROTO_TYPES.has(w)
          ? 'type'
          : /^[A-Z]|\.[A-Z]/.test(w)
            ? 'type'
            : '',
  ],
];

const jsonRules: readonly Rule[] = [
  [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'key'],
  [/"(?:[^"\\]|\\.)*"/, 'string'],
  [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
  [/\b(?:true|false|null)\b/, 'keyword'],
];

const tsRules: readonly Rule[] = [
  [/\/\/[^\n]*/, 'comment'],
  [/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/, 'string'],
  [/\b\d+\b/, 'number'],
  [/[A-Za-z_$][A-Za-z0-9_$]*/, (w) => (TS_KEYWORDS.has(w) ? 'keyword' : /^[A-Z]/.test(w) ? 'type' : '')],
];

export const highlightProto = compile(protoRules);
export const highlightJson = compile(jsonRules);
export const highlightTs = compile(tsRules);

/** Top-level `message`/`enum` blocks of a proto file with their leading comments, by short name. */
export function protoDeclarations(source: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(message|enum)\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{/.exec(lines[i] ?? '');
    if (!m) continue;
    let start = i;
    while (start > 0 && /^\s*\/\//.test(lines[start - 1] ?? '')) start--;
    let depth = 0;
    let end = i;
    for (; end < lines.length; end++) {
      const line = (lines[end] ?? '').replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '');
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      if (depth <= 0) break;
    }
    out.set(m[2] as string, lines.slice(start, end + 1).join('\n'));
    i = end;
  }
  return out;
}

/** The message's own block plus the file-local types it uses (transitively), in file order of discovery. */
export function protoExcerpt(declarations: ReadonlyMap<string, string>, message: string): string | undefined {
  const root = declarations.get(message);
  if (!root) return undefined;
  const picked = new Set<string>([message]);
  const queue = [root];
  while (queue.length > 0) {
    const block = (queue.shift() as string).replace(/\/\/.*$/gm, '');
    for (const word of block.match(/\b[A-Z][A-Za-z0-9_]*\b/g) ?? []) {
      if (picked.has(word)) continue;
      const decl = declarations.get(word);
      if (decl) {
        picked.add(word);
        queue.push(decl);
      }
    }
  }
  return [...picked].map((n) => declarations.get(n) as string).join('\n\n');
}
