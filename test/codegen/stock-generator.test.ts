// The template is an ordinary AsyncAPI generator template: the stock generator can run it on a document
// it parses itself (here one with JSON Schema payloads, which the stock parser understands), given the
// `input` parameter; and the template refuses an input that does not belong to the document.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodegenInput, runCodegen } from '../../src/codegen/index.ts';
import { readTree } from '../../src/codegen/output-tree.ts';
import type { Registry } from '../../src/model/types.ts';
import { labDocument, labProject } from './fixtures/lab-project.ts';
import { ensureTemplateTranspiled, templateDir } from './support/template.ts';

interface StockGenerator {
  generateFromString(document: string): Promise<void>;
}
type GeneratorClass = new (
  template: string,
  targetDir: string,
  options: {
    templateParams: Record<string, string>;
    forceWrite: boolean;
    install: boolean;
    compile: boolean;
  },
) => StockGenerator;
const Generator = createRequire(import.meta.url)('@asyncapi/generator') as GeneratorClass;

/** The lab project cut down to its JSON Schema event, so the stock parser can read the document. */
function jsonOnly(registry: Registry): { registry: Registry; document: string } {
  const operations = ['onNoted', 'publishNoted'];
  const document = {
    ...labDocument,
    channels: { notedV1: labDocument.channels.notedV1 },
    operations: Object.fromEntries(
      Object.entries(labDocument.operations).filter(([id]) => operations.includes(id)),
    ),
  };
  return {
    document: JSON.stringify(document),
    registry: {
      ...registry,
      events: registry.events.filter((event) => event.type === 'lab.v1.Noted'),
      operations: registry.operations.filter((operation) => operations.includes(operation.operationId)),
      protoFiles: [],
    },
  };
}

let root: string;
let registry: Registry;
let document: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'eventkit-stock-generator-'));
  ({ registry, document } = jsonOnly(await labProject(root)));
  // Transpiled once under eventkit's lock: tests in parallel processes must not rewrite it under each other.
  await ensureTemplateTranspiled();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the template under the stock AsyncAPI generator', () => {
  it('renders a document the generator parses itself, byte-identical to eventkit codegen', async () => {
    const input = buildCodegenInput(registry, 'lab', {
      runtime: { index: 'eventkit/runtime', api: 'eventkit/runtime' },
    });
    const inputFile = path.join(root, 'lab.input.json');
    await writeFile(inputFile, JSON.stringify(input));
    const out = path.join(root, 'out');
    await new Generator(templateDir, out, {
      templateParams: { input: inputFile },
      forceWrite: true,
      install: false,
      compile: false,
    }).generateFromString(document);
    const tree = await readTree(out);
    expect([...tree.keys()].sort()).toEqual([
      'events.ts',
      'examples.ts',
      'handlers.ts',
      'index.ts',
      'publisher.ts',
      'types/lab.v1.ts',
    ]);
    // The template's own formatting hook makes the stock run write exactly what eventkit writes.
    await runCodegen(registry);
    const viaEventkit = await readTree(path.join(root, 'src/services/lab/generated'));
    expect([...viaEventkit.keys()].sort()).toEqual([...tree.keys()].sort());
    for (const [file, content] of tree)
      expect(content.equals(viaEventkit.get(file) as Buffer), file).toBe(true);
    const events = await readFile(path.join(out, 'events.ts'), 'utf8');
    expect(events).toContain("import { jsonCodec } from 'eventkit/runtime';");
    expect(events).toContain('export const NotedV1: GeneratedDescriptor<labV1.Noted, NotedV1Params> = {');
  });

  it('refuses an input whose operations the document does not declare', async () => {
    const input = buildCodegenInput(
      {
        ...registry,
        operations: registry.operations.map((op) => ({ ...op, operationId: `${op.operationId}X` })),
      },
      'lab',
      {
        runtime: { index: 'eventkit/runtime', api: 'eventkit/runtime' },
      },
    );
    const inputFile = path.join(root, 'wrong.input.json');
    await writeFile(inputFile, JSON.stringify(input));
    const generator = new Generator(templateDir, path.join(root, 'wrong'), {
      templateParams: { input: inputFile },
      forceWrite: true,
      install: false,
      compile: false,
    });
    await expect(generator.generateFromString(document)).rejects.toThrow(
      /names operation onNotedX \(receive\) which the document does not declare/,
    );
  });
});
