// Markdown in the catalog (hand-written pages and descriptions from the specs), rendered by markdown-it
// (a maintained CommonMark implementation) with raw HTML off, so any HTML in the source is shown escaped;
// links keep only http(s), mailto and relative targets. Headings shift under the page's own h1.
import MarkdownIt from 'markdown-it';

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

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.validateLink = (url) => safeHref(url) !== undefined;
// Code blocks look like the rest of the catalog's code (`<pre class="code">`).
const codeBlock: NonNullable<(typeof md.renderer.rules)[string]> = (tokens, index) =>
  `<pre class="code"><code>${md.utils.escapeHtml((tokens[index]?.content ?? '').replace(/\n$/, ''))}</code></pre>\n`;
md.renderer.rules.fence = codeBlock;
md.renderer.rules.code_block = codeBlock;

/** The HTML of `source`, headings shifted by `headingOffset` (h1 → h2 with the default 1). */
export function markdownHtml(source: string, headingOffset = 1): string {
  const tokens = md.parse(source, {});
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close')
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + headingOffset)}`;
  }
  // Compact: no newline between tags (text never holds a raw `<`, so this cannot touch content).
  return md.renderer.render(tokens, md.options, {}).replace(/>\n(?=<|$)/g, '>');
}

/** Renders markdown; headings shift by `headingOffset` so page content nests under the page's own h1. */
export function Markdown({ source, headingOffset = 1 }: { source: string; headingOffset?: number }) {
  return (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it (html: false) escapes every character it does not turn into markup
    <div className="prose" dangerouslySetInnerHTML={{ __html: markdownHtml(source, headingOffset) }} />
  );
}

/** First paragraph as plain text, for cards and search. */
export function firstParagraph(source: string): string | undefined {
  const tokens = md.parse(source, {});
  const at = tokens.findIndex((token) => token.type === 'paragraph_open');
  const inline = at < 0 ? undefined : tokens[at + 1];
  if (!inline?.children) return undefined;
  return inline.children
    .map((child) =>
      child.type === 'text' || child.type === 'code_inline'
        ? child.content
        : child.type === 'softbreak'
          ? ' '
          : '',
    )
    .join('');
}

/** The first paragraph without Markdown marks (for `<meta name="description">`), or undefined. */
export function plainText(source: string | undefined): string | undefined {
  return source === undefined ? undefined : firstParagraph(source);
}
