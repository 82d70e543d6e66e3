// Payload formats other teams write: JSON Schema combinators (oneOf/anyOf/allOf, discriminator, const,
// enum, both spellings of nullable), descriptions inside `allOf`, Markdown in descriptions, and Avro.
// Generated code is compiled with the repo's `strict` tsconfig; examples are validated by lint.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCodegen } from '../../src/codegen/index.ts';
import { lint } from '../../src/model/index.ts';
import { typeCheck } from '../codegen/support/project.ts';
import { load, scratchPayloadsCopy } from './support.ts';

const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

async function copy(name: string): Promise<string> {
  const root = await scratchPayloadsCopy(name);
  temp.push(root);
  return root;
}

describe('JSON Schema combinators (json-combinators)', () => {
  const ready = copy('json-combinators');

  it('load and lint clean: every example validates against its schema', async () => {
    const result = await load(await ready);
    expect(result.diagnostics).toEqual([]);
    expect(await lint(result, { buf: false })).toEqual([]);
  });

  it('an example that breaks the oneOf schema is a lint error with file:line', async () => {
    const root = await copy('json-combinators');
    const file = path.join(root, 'asyncapi/payments.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('payload: { kind: full, paymentId: pay_1 }', 'payload: { kind: full }'),
    );
    const findings = await lint(await load(root), { buf: false });
    expect(findings.map((f) => [f.ruleId, f.location?.file])).toEqual([
      ['example-invalid', 'asyncapi/payments.yaml'],
    ]);
    expect(findings[0]?.message).toContain('example "full"');
    const line = text.split('\n').findIndex((l) => l.includes('- name: full')) + 1;
    expect(findings[0]?.location?.line).toBeGreaterThanOrEqual(line);
  });

  it('generate types and examples that compile under tsc --strict', async () => {
    const root = await ready;
    const result = await load(root);
    await runCodegen(result.registry);
    const generated = path.join(root, 'src/reference/payments/generated');
    const types = await readFile(path.join(generated, 'types/payments.v1.ts'), 'utf8');
    // allOf of objects merges into one interface; its description comes from inside the allOf.
    expect(types).toMatch(/A payment the acquirer \*\*captured\*\*[\s\S]*export interface PaymentCaptured \{/);
    // discriminated oneOf, const, enum, both nullable spellings.
    expect(types).toContain("| { type: 'card'; brand: 'visa' | 'mastercard' | 'amex'; last4: string }");
    expect(types).toContain('mandateId?: string | null');
    expect(types).toContain('note?: string | null;');
    expect(types).toContain("channel?: 'web' | 'store' | 'phone';");
    expect(types).toContain("status: 'captured';");
    expect(types).toContain('tags?: (string | number)[];');
    // A description written inside a property's allOf is kept.
    expect(types).toMatch(/\/\*\* Acquirer fee, deducted from the _payout_\. \*\/\s+fee\?: \{/);
    expect(types).toMatch(/export type RefundIssued =\s+\| \{ kind: 'full'; paymentId: string \}\s+\| \{/);
    const examples = await readFile(path.join(generated, 'examples.ts'), 'utf8');
    expect(examples).toContain('full: (): paymentsV1.RefundIssued =>');
    expect(examples).toContain('card: (overrides?: Partial<paymentsV1.PaymentCaptured>)');
    const checked = await typeCheck(root, ['src/reference/**/*.ts']);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);
  }, 120_000);
});
