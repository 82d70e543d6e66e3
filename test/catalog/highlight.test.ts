// Build-time highlighting escapes everything it emits and picks out the message's own proto declaration.
import { describe, expect, it } from 'vitest';
import {
  highlightJson,
  highlightProto,
  highlightTs,
  protoDeclarations,
  protoExcerpt,
} from '../../src/catalog/highlight.ts';

describe('highlight', () => {
  it('wraps tokens in classes and escapes HTML in every token and gap', () => {
    expect(highlightProto('// <b>\nmessage A { string x = 1; }')).toBe(
      '<span class="tok-comment">// &lt;b&gt;</span>\n<span class="tok-keyword">message</span> <span class="tok-type">A</span> { <span class="tok-type">string</span> x = <span class="tok-number">1</span>; }',
    );
    expect(highlightJson('{"k": "<script>", "n": 2}')).toBe(
      '{<span class="tok-key">&quot;k&quot;</span>: <span class="tok-string">&quot;&lt;script&gt;&quot;</span>, <span class="tok-key">&quot;n&quot;</span>: <span class="tok-number">2</span>}',
    );
    expect(highlightTs('const a = `<i>`; // &')).toBe(
      '<span class="tok-keyword">const</span> a = <span class="tok-string">`&lt;i&gt;`</span>; <span class="tok-comment">// &amp;</span>',
    );
    for (const source of ['<>&"\'', 'a < b && c > d', '']) {
      expect(highlightProto(source)).not.toMatch(/<(?!\/?span)/);
      expect(highlightTs(source).replace(/<\/?span[^>]*>/g, '')).not.toMatch(/[<>]/);
    }
  });

  it('extracts a message with its comments and the file-local types it uses, transitively', () => {
    const source = [
      'syntax = "proto3";',
      'package orders.v1;',
      '// An order was placed.',
      'message OrderPlaced {',
      '  repeated LineItem items = 1; // lines',
      '  Status status = 2;',
      '}',
      '',
      'message Unrelated { string x = 1; }',
      '',
      '// One line.',
      'message LineItem {',
      '  Sku sku = 1;',
      '}',
      'message Sku { string code = 1; }',
      'enum Status {',
      '  STATUS_UNSPECIFIED = 0;',
      '}',
    ].join('\n');
    const excerpt = protoExcerpt(protoDeclarations(source), 'OrderPlaced') as string;
    expect(excerpt.startsWith('// An order was placed.\nmessage OrderPlaced {')).toBe(true);
    expect(excerpt).toContain('// One line.\nmessage LineItem {');
    expect(excerpt).toContain('message Sku {');
    expect(excerpt).toContain('enum Status {');
    expect(excerpt).not.toContain('Unrelated');
    expect(protoExcerpt(protoDeclarations(source), 'Missing')).toBeUndefined();
  });
});
