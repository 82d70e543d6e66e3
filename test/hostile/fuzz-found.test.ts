// Bugs the fuzz suite (test/fuzz) found, each with its own regression test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parserMessage } from '../../src/model/asyncapi/parser.ts';
import { projectsOfThisFile, runMain, stackTrace } from './support.ts';

const project = projectsOfThisFile();

const edit = (root: string, file: string, change: (text: string) => string) =>
  writeFileSync(path.join(root, file), change(readFileSync(path.join(root, file), 'utf8')));

/** The header schema's `const` (line 35 of the mini shop's shop.yaml) replaced by `levels` nested lists. */
const nestedLists = (levels: number) => (text: string) =>
  text.replace('const: shop.v1.OrderPlaced', `const: ${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('lists nested inside lists', () => {
  // The AsyncAPI parser's circular-ref pass walks every array twice: 20 levels took 8 s, 40 never ended.
  it.each([40, 2_000])(
    '%i levels are a file-too-deep error at their line, in lint and codegen',
    async (levels) => {
      const root = project();
      edit(root, 'asyncapi/shop.yaml', nestedLists(levels));
      const lint = await runMain(['-C', root, 'lint']);
      expect(lint.code).toBe(2);
      expect(lint.stdout + lint.stderr).toMatch(
        /asyncapi\/shop\.yaml:35:\d+ +error +asyncapi\/shop\.yaml nests/,
      );
      expect(lint.stdout + lint.stderr).not.toMatch(stackTrace);
      // billing.yaml refers into shop.yaml: it is not handed to the parser (which would read shop.yaml itself).
      expect(lint.stdout + lint.stderr).not.toContain('billing.yaml:1:1');
      const codegen = await runMain(['-C', root, 'codegen']);
      expect(codegen.code).toBe(2);
      expect(codegen.stderr).not.toMatch(stackTrace);
    },
    60_000,
  );

  it('12 levels are still read (the limit is EVENTKIT_MAX_ARRAY_DEPTH, default 12)', async () => {
    const root = project();
    edit(root, 'asyncapi/shop.yaml', nestedLists(11));
    const lint = await runMain(['-C', root, 'lint']);
    expect(lint.stdout + lint.stderr).not.toContain('file-too-deep');
  }, 60_000);
});

describe('an exception inside the AsyncAPI parser', () => {
  it('is reported by its message, without the library stack trace', () => {
    const message =
      'Error thrown during AsyncAPI document validation. Name: TypeError, message: Cannot convert object to primitive value, stack: TypeError: Cannot convert object to primitive value\n    at apply (/x/node_modules/immer/src/utils/errors.ts:34:3)\n    at die (/x/node_modules/immer/src/utils/errors.ts:51:8)';
    const cleaned = parserMessage(message);
    expect(cleaned).toBe(
      'the AsyncAPI parser failed on this document: Cannot convert object to primitive value (TypeError)',
    );
    expect(cleaned).not.toMatch(stackTrace);
    expect(parserMessage('"channels" property must be an object')).toBe(
      '"channels" property must be an object',
    );
  });
});

describe('a proto file with an unknown syntax', () => {
  it('is a proto-syntax error at its line in lint; codegen exits 2 naming it, not "cannot resolve proto types"', async () => {
    const root = project();
    edit(root, 'proto/shop/v1/events.proto', (t) => t.replace('syntax = "proto3";', 'syntax = "proto3:";'));
    const lint = await runMain(['-C', root, 'lint']);
    expect(lint.code).toBe(1);
    expect(lint.stdout + lint.stderr).toMatch(
      /proto\/shop\/v1\/events\.proto:1:1 +error +syntax "proto3:" is not a protobuf syntax/,
    );
    const codegen = await runMain(['-C', root, 'codegen']);
    expect(codegen.code).toBe(2);
    expect(codegen.stderr).toContain('proto/shop/v1/events.proto:1:1');
    expect(codegen.stderr).not.toContain('cannot resolve proto types');
  }, 60_000);
});

describe('a file reached by $ref that breaks an input limit', () => {
  // The resolver used to throw on it, and the parser then read the file with its own resolver: lists nested
  // 40 deep never finished, and a FIFO blocked the read forever.
  const referTo = (root: string, file: string) =>
    edit(root, 'asyncapi/shop.yaml', (t) =>
      t.replace(
        '      payload:\n        schemaFormat',
        `      x-extra:\n        $ref: "./common/${file}#/components/schemas/Deep"\n      payload:\n        schemaFormat`,
      ),
    );

  it('lists nested 40 deep in a referenced file: file-too-deep at its line, and the $ref named', async () => {
    const root = project();
    mkdirSync(path.join(root, 'asyncapi/common'));
    writeFileSync(
      path.join(root, 'asyncapi/common/deep.yaml'),
      `components:\n  schemas:\n    Deep:\n      type: object\n      x-deep: ${'['.repeat(40)}${']'.repeat(40)}\n`,
    );
    referTo(root, 'deep.yaml');
    const lint = await runMain(['-C', root, 'lint']);
    const output = lint.stdout + lint.stderr;
    expect(lint.code).toBe(2);
    expect(output).toMatch(
      /asyncapi\/common\/deep\.yaml:5:\d+ +error +asyncapi\/common\/deep\.yaml nests lists/,
    );
    expect(output).toMatch(/asyncapi\/shop\.yaml:37:\d+ +error +\$ref \.\/common\/deep\.yaml/);
    expect(output).not.toMatch(stackTrace);
  }, 60_000);

  it('a FIFO reached by $ref is reported, never opened', async () => {
    const root = project();
    mkdirSync(path.join(root, 'asyncapi/common'));
    execFileSync('mkfifo', [path.join(root, 'asyncapi/common/pipe.yaml')]);
    referTo(root, 'pipe.yaml');
    const lint = await runMain(['-C', root, 'lint']);
    expect(lint.code).toBe(2);
    expect(lint.stdout + lint.stderr).toMatch(
      /asyncapi\/common\/pipe\.yaml:1:1 +error +asyncapi\/common\/pipe\.yaml is a named pipe \(FIFO\)/,
    );
  }, 60_000);
});

describe('can-i-deploy when no document matches the globs', () => {
  // Found with seed 7: "unknown pacticipant (known: none)" without saying why none are known.
  it('names the config line where the documents are not found (exit 2)', async () => {
    const root = project();
    edit(root, 'eventkit.config.json', (t) => t.replace('yaml,yml', 'l,yml'));
    const run = await runMain(['-C', root, 'can-i-deploy', '--pacticipant', 'shop', '--version', 'v1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown pacticipant "shop"');
    expect(run.stderr).toMatch(/eventkit\.config\.json:\d+:\d+ no AsyncAPI documents match/);
  }, 60_000);
});

describe('a config whose "asyncapi" is an empty string', () => {
  // Found with seed 21: fast-glob threw "Patterns must be a string (non empty)" (exit 70).
  it('is a config error at its line (exit 2), not an internal error', async () => {
    const root = project();
    writeFileSync(path.join(root, 'eventkit.config.json'), '{\n  "asyncapi": "",\n  "bufLint": false\n}\n');
    const run = await runMain(['-C', root, 'codegen', '--check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /eventkit\.config\.json:2:\d+ .*"asyncapi" must be a non-empty list of strings/,
    );
    expect(run.stderr).not.toContain('internal error');
  }, 60_000);
});

describe('a $ref that names a folder', () => {
  // Found with seed 21: `$ref: "\u0000"` resolves to the document's folder; it was reported at "asyncapi:1:1".
  it('is ref-unresolved at the $ref line', async () => {
    const root = project();
    edit(root, 'asyncapi/billing.yaml', (t) =>
      t.replace('$ref: "./shop.yaml#/components/messages/OrderPlacedV1"', '$ref: "\\u0000"'),
    );
    const lint = await runMain(['-C', root, 'lint']);
    expect(lint.stdout + lint.stderr).toMatch(/asyncapi\/billing\.yaml:12:\d+ +error .*ref-unresolved/);
    expect(lint.stdout + lint.stderr).not.toMatch(/^\s*asyncapi:1:1/m);
  }, 60_000);
});

describe('an operation id that is not a TypeScript identifier', () => {
  // Found by fuzz seed 21 (a ':' inserted into an operation key): codegen wrote `publish:OrderPlaced(` and
  // the formatter's parse error came out as exit 70, "a template bug".
  it('is a codegen input error at the operation (exit 2), and nothing is written', async () => {
    const root = project();
    edit(root, 'asyncapi/shop.yaml', (text) =>
      text.replace('  publishOrderPlaced:', '  publish:OrderPlaced:'),
    );
    const result = await runMain(['-C', root, 'codegen']);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(
      /asyncapi\/shop\.yaml:16:\d+: operation id "publish:OrderPlaced" names a generated method, but is not a TypeScript identifier/,
    );
    expect(result.stdout + result.stderr).not.toMatch(stackTrace);
    expect(existsSync(path.join(root, 'src'))).toBe(false);
  });
});
