// Text from documents is data, never markup: hostile titles, descriptions, summaries, examples and proto
// comments are built into the catalog, and every page must show them escaped (and show them at all).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { writeSyntheticContracts } from '../../tools/synthetic/contracts.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';

const SCRIPT = '<script>alert(1)</script>';
const ATTRIBUTE = '" onmouseover="alert(2)" x="';
const TAG = "'><img src=x onerror=alert(3)>";
const CLOSE = '</script><script>alert(4)</script>';
const HOSTILE = `${SCRIPT} ${ATTRIBUTE} ${TAG} ${CLOSE}`;

let root: string;
let html: { file: string; text: string }[];

function hostileRegistry(base: Registry): Registry {
  return {
    ...base,
    services: base.services.map((s) => ({ ...s, title: `${s.title} ${HOSTILE}`, description: HOSTILE })),
    operations: base.operations.map((o) => ({ ...o, summary: HOSTILE, description: HOSTILE })),
    events: base.events.map((e) => ({
      ...e,
      title: HOSTILE,
      summary: HOSTILE,
      description: `${HOSTILE}\n\n[link](javascript:alert(5)) <b onclick="alert(6)">bold</b>`,
      examples: e.examples.length
        ? e.examples.map((x) => ({ ...x, name: HOSTILE, summary: HOSTILE, payload: { note: HOSTILE } }))
        : [{ name: HOSTILE, summary: HOSTILE, payload: { note: HOSTILE } }],
      ...(e.payload.kind === 'protobuf'
        ? { payload: { ...e.payload, protoSource: `// ${HOSTILE}\n${e.payload.protoSource}` } }
        : {}),
    })),
    protoFiles: base.protoFiles.map((p) => ({ ...p, source: `// ${HOSTILE}\n/* ${CLOSE} */\n${p.source}` })),
  };
}

function htmlFiles(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ file: path.relative(dir, file), text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eventkit-catalog-escaping-'));
  const base = syntheticRegistry({ services: 3, events: 6, consumersPerEvent: 1, root });
  writeSyntheticContracts(base, root);
  await buildCatalog({ registry: hostileRegistry(base), root, outDir: 'dist/catalog', workers: 0 });
  html = htmlFiles(path.join(root, 'dist', 'catalog'));
}, 90_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('catalog escaping of document text', () => {
  it('shows the hostile text, escaped, on the pages that carry it', () => {
    const shown = html.filter((h) => h.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    expect(shown.length).toBeGreaterThanOrEqual(6);
    expect(html.some((h) => h.file.startsWith('services') || h.file.includes('service'))).toBe(true);
  });

  it('shows on each service page what its NATS user may publish and subscribe to', () => {
    const pages = html.filter((h) => h.file.startsWith('services/'));
    expect(pages.length).toBe(3);
    for (const page of pages) {
      expect(page.text).toContain('NATS permissions');
      expect(page.text).toMatch(/<td>subscribe<\/td><td><code>_INBOX_[a-z0-9-]+\.&gt;<\/code>/);
    }
  });

  it('never lets it become markup: no injected script, tag, event handler or javascript: link', () => {
    const problems: string[] = [];
    for (const { file, text } of html) {
      if (/<script>alert\(\d\)/.test(text)) problems.push(`${file}: raw <script>alert`);
      if (/<img src=x onerror/i.test(text)) problems.push(`${file}: raw <img onerror>`);
      // Quoted attribute values are data (their quotes are escaped as &quot;); what is left is markup.
      for (const tag of text.match(/<[a-zA-Z][^>]*>/g) ?? [])
        if (/\s(onmouseover|onerror|onclick)\s*=/i.test(tag.replace(/"[^"]*"|'[^']*'/g, '""')))
          problems.push(`${file}: handler in ${tag.slice(0, 80)}`);
      if (/href\s*=\s*["']?\s*javascript:/i.test(text)) problems.push(`${file}: javascript: link`);
    }
    expect(problems).toEqual([]);
  });
});
