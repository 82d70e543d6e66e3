// A tiny, safe markdown subset for hand-written catalog pages: headings, paragraphs, lists, code blocks,
// `code`, **bold**, *italic* and [links](url). Output is React elements, so text is always escaped;
// links keep only http(s), mailto and relative targets. No raw HTML passes through.
import type { HtmlNode } from '#html/jsx-runtime';

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** Relative links, and absolute ones only with http(s) or mailto; never `javascript:` or `data:`. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  // Browsers ignore control characters and whitespace inside a scheme, so check a squeezed copy.
  const squeezed = [...trimmed].filter((c) => c.charCodeAt(0) > 0x20).join('');
  const scheme = SCHEME.exec(squeezed)?.[1]?.toLowerCase();
  return scheme === undefined || SAFE_SCHEMES.has(scheme) ? trimmed : undefined;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;

export function renderInline(text: string, keyPrefix = 'i'): HtmlNode[] {
  const out: HtmlNode[] = [];
  let last = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = match[0];
    const key = `${keyPrefix}-${n++}`;
    if (match[1]) out.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong key={key}>{renderInline(token.slice(2, -2), key)}</strong>);
    else if (match[3]) out.push(<em key={key}>{renderInline(token.slice(1, -1), key)}</em>);
    else {
      const [, label = '', href = ''] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      const safe = safeHref(href);
      out.push(
        safe ? (
          <a key={key} href={safe}>
            {renderInline(label, key)}
          </a>
        ) : (
          label
        ),
      );
    }
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'code'; text: string };

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i++] ?? '');
      i++;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: (heading[1] ?? '#').length, text: (heading[2] ?? '').trim() });
      i++;
      continue;
    }
    const bullet = /^\s*([-*]|\d+\.)\s+/;
    if (bullet.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && bullet.test(lines[i] ?? ''))
        items.push((lines[i++] ?? '').replace(bullet, ''));
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !/^\s*$/.test(lines[i] ?? '') &&
      !/^(#{1,4}\s|```|\s*([-*]|\d+\.)\s)/.test(lines[i] ?? '')
    ) {
      para.push((lines[i++] ?? '').trim());
    }
    blocks.push({ kind: 'paragraph', text: para.join(' ') });
  }
  return blocks;
}

/** Renders markdown; headings shift by `headingOffset` so page content nests under the page's own h1. */
export function Markdown({ source, headingOffset = 1 }: { source: string; headingOffset?: number }) {
  return (
    <div className="prose">
      {parseBlocks(source).map((b, i) => {
        const key = `b${i}`;
        switch (b.kind) {
          case 'heading': {
            const level = Math.min(6, b.level + headingOffset);
            const Tag = `h${level}` as 'h2';
            return <Tag key={key}>{renderInline(b.text, key)}</Tag>;
          }
          case 'paragraph':
            return <p key={key}>{renderInline(b.text, key)}</p>;
          case 'code':
            return (
              <pre key={key} className="code">
                <code>{b.text}</code>
              </pre>
            );
          case 'list': {
            const items = b.items.map((t, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity but their position
              <li key={`${key}-${j}`}>{renderInline(t, `${key}-${j}`)}</li>
            ));
            return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
          default:
            return null;
        }
      })}
    </div>
  );
}

/** First paragraph as plain text, for cards and search. */
export function firstParagraph(source: string): string | undefined {
  const p = parseBlocks(source).find((b) => b.kind === 'paragraph');
  return p?.kind === 'paragraph'
    ? p.text.replace(/[`*_]/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    : undefined;
}

/** The first paragraph without Markdown marks (for `<meta name="description">`), or undefined. */
export function plainText(source: string | undefined): string | undefined {
  return source === undefined ? undefined : firstParagraph(source);
}
