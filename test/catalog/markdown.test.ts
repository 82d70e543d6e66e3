// Hand-written pages and spec descriptions are rendered by markdown-it with raw HTML off: no HTML or script URL gets through.
import { describe, expect, it } from 'vitest';
import { serialize } from '../../src/catalog/html/jsx-runtime.ts';
import { firstParagraph, Markdown, safeHref } from '../../src/catalog/markdown.tsx';

const html = (source: string): string => serialize(Markdown({ source }));

describe('Markdown', () => {
  it('renders headings (shifted under the page h1), paragraphs, lists, code and inline marks', () => {
    expect(
      html(
        '# Title\n\nSome **bold** and *em* and `code`.\n\n- one\n- [two](teams/x.html)\n\n```\nraw <b>\n```',
      ),
    ).toBe(
      '<div class="prose"><h2>Title</h2><p>Some <strong>bold</strong> and <em>em</em> and <code>code</code>.</p>' +
        '<ul><li>one</li><li><a href="teams/x.html">two</a></li></ul><pre class="code"><code>raw &lt;b&gt;</code></pre></div>',
    );
  });

  it('escapes raw HTML and drops unsafe link targets', () => {
    const out = html('<script>alert(1)</script> [x](javascript:alert(1)) [y](https://shop.example/a)');
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
    // A link to an unsafe target stays text, never a link.
    expect(out).not.toContain('href="javascript:');
    expect(out).not.toContain('<a href="javascript');
    expect(out).toContain('<a href="https://shop.example/a">y</a>');
    expect(safeHref('JavaScript:alert(1)')).toBeUndefined();
    expect(safeHref('mailto:team@shop.example')).toBe('mailto:team@shop.example');
  });

  it('renders CommonMark a spec description uses (nested lists, quotes, code spans with HTML) and no HTML of its own', () => {
    const out = html(
      'Steps:\n\n1. reserve\n   - per `<line>`\n2. capture\n\n> Never refunds twice.\n\n<img src=x onerror=alert(1)> [d](data:text/html,x)',
    );
    expect(out).toContain(
      '<ol><li>reserve\n<ul><li>per <code>&lt;line&gt;</code></li></ul></li><li>capture</li></ol>',
    );
    expect(out).toContain('<blockquote><p>Never refunds twice.</p></blockquote>');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('href="data:');
  });

  it('takes the first paragraph as plain text for cards', () => {
    expect(firstParagraph('# T\n\nOwns **orders** and [stuff](x).\n\nMore.')).toBe('Owns orders and stuff.');
  });
});
