// Payload formats other teams write: JSON Schema combinators (oneOf/anyOf/allOf, discriminator, const,
// enum, both spellings of nullable), descriptions inside `allOf`, Markdown in descriptions, and Avro.
// Generated code is compiled with the repo's `strict` tsconfig; examples are validated by lint.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCodegen } from '../../src/codegen/index.ts';
import { compareProjects } from '../../src/compat/index.ts';
import { lint } from '../../src/model/index.ts';
import { runCli } from '../cli/run-cli.ts';
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
    expect(types).toMatch(
      /A payment the acquirer \*\*captured\*\*[\s\S]*export interface PaymentCaptured \{/,
    );
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

  it('the catalog lists fields with descriptions from inside allOf, Markdown rendered and HTML escaped', async () => {
    const root = await ready;
    const out = path.join(root, 'site');
    const run = await runCli(['-C', root, 'catalog', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const captured = await readFile(path.join(out, 'events/payments.v1.PaymentCaptured.html'), 'utf8');
    const field = (name: string) => captured.slice(captured.indexOf(`data-path="${name}"`)).slice(0, 1500);
    expect(field('fee')).toContain('Acquirer fee, deducted from the <em>payout</em>.');
    expect(field('amount.value')).toContain('Amount in <strong>minor units</strong> (cents).');
    expect(field('method')).toContain('one of: card | sepa');
    expect(field('method')).toContain('<a href="https://docs.example.com/methods">payment methods</a>');
    expect(field('note')).toContain('string | null');
    // The event's description (written inside allOf) is the page's lead, a list rendered as a list.
    expect(captured).toMatch(/class="lead"[\s\S]*?A payment the acquirer <strong>captured<\/strong>/);
    expect(captured).toContain('<li>sent once per payment</li>');
    const refund = await readFile(path.join(out, 'events/payments.v1.RefundIssued.html'), 'utf8');
    expect(refund).toContain('&lt;b&gt;Never&lt;/b&gt; more than the captured amount.');
    expect(refund).not.toContain('<b>Never</b>');
  }, 180_000);
});

describe('Avro payloads (avro-users)', () => {
  const ready = copy('avro-users');

  it('are read with avsc: fields, named types and docs; examples validate, lint is clean', async () => {
    const result = await load(await ready);
    expect(result.diagnostics).toEqual([]);
    expect(await lint(result, { buf: false })).toEqual([]);
    const signedUp = result.registry.events.find((e) => e.type === 'user-service.v1.UserSignedUp');
    expect(signedUp?.payload).toMatchObject({ kind: 'avro', avroName: 'com.example.users.UserSignedUp' });
    expect(signedUp?.contentType).toBe('avro/binary');
    expect(signedUp?.description).toBe('A new account was created. Sent **once** per account.');
    const fields = signedUp?.payload.fields ?? [];
    expect(fields.map((f) => [f.name, f.type, f.required, f.repeated])).toEqual([
      ['userId', 'string', true, false],
      ['email', 'null | string', false, false],
      ['plan', 'Plan', true, false],
      ['signedUpAt', 'long (timestamp-millis)', true, false],
      ['referrer', 'null | Referral', false, false],
      ['interests', 'string', true, true],
      ['attributes', 'map<string, string | long | boolean>', true, false],
      ['score', 'bytes (decimal)', true, false],
    ]);
    expect(fields.find((f) => f.name === 'plan')?.enumValues?.map((v) => v.name)).toEqual([
      'FREE',
      'PRO',
      'ENTERPRISE',
    ]);
    expect(fields.find((f) => f.name === 'referrer')?.fields?.map((f) => f.name)).toEqual([
      'code',
      'campaign',
    ]);
    // The schema in its own .avsc file (…avro+json), reached by $ref.
    const changed = result.registry.events.find((e) => e.type === 'user-service.v1.UserProfileChanged');
    expect(changed?.payload.fields.map((f) => f.name)).toEqual(['userId', 'displayName', 'avatar']);
  });

  it('report bad examples, unknown names and unknown logical types with file:line', async () => {
    const root = await copy('avro-users');
    const avsc = path.join(root, 'schemas/user-profile-changed.avsc');
    await writeFile(
      avsc,
      (await readFile(avsc, 'utf8')).replace(
        '"type": "string", "doc"',
        '"type": "com.example.common.DisplayName", "doc"',
      ),
    );
    const yaml = path.join(root, 'asyncapi/users.yaml');
    const text = await readFile(yaml, 'utf8');
    await writeFile(
      yaml,
      text
        .replace('logicalType: timestamp-micros', 'logicalType: epoch-nanos')
        .replace('plan: PRO', 'plan: GOLD')
        .replace(
          'payload: { userId: u2, reason: FRAUD }',
          'payload: { userId: u2, reason: FRAUD, extra: 1 }',
        ),
    );
    const findings = await lint(await load(root), { buf: false });
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const summary = findings.map((f) => [f.ruleId, f.severity, `${f.location?.file}:${f.location?.line}`]);
    expect(summary).toEqual([
      ['example-invalid', 'error', `asyncapi/users.yaml:${lineOf('- name: pro') + 1}`],
      ['avro-unsupported', 'warning', `asyncapi/users.yaml:${lineOf('logicalType: timestamp-micros')}`],
      ['example-invalid', 'error', `asyncapi/users.yaml:${lineOf('- name: fraud') + 1}`],
      ['avro-schema-invalid', 'error', 'schemas/user-profile-changed.avsc:8'],
    ]);
    expect(findings[0]?.message).toContain('/plan is not a valid enum (com.example.users.Plan)');
    expect(findings[3]?.message).toContain('"com.example.common.DisplayName" is not defined');
  });

  it('generate TypeScript types and typed examples, no descriptor, and say so', async () => {
    const root = await ready;
    const result = await load(root);
    await runCodegen(result.registry);
    const generated = path.join(root, 'src/reference/user-service/generated');
    const types = await readFile(path.join(generated, 'types/user-service.v1.ts'), 'utf8');
    expect(types).not.toContain('unknown');
    expect(types).toContain("export type Plan = 'FREE' | 'PRO' | 'ENTERPRISE';");
    expect(types).toMatch(
      /\/\*\* A new account was created\. Sent \*\*once\*\* per account\. \*\/\s+export interface UserSignedUp \{/,
    );
    expect(types).toContain('email?: null | string;');
    expect(types).toContain('referrer?: null | Referral;');
    expect(types).toContain('attributes: Record<string, string | number | boolean>;');
    expect(types).toContain('export type UserDeleted = UserErased | UserDeactivated;');
    expect(types).toContain('avatar?: null | Sha256;');
    const events = await readFile(path.join(generated, 'events.ts'), 'utf8');
    expect(events).toContain(
      "`UserSignedUpV1` (`user-service.v1.UserSignedUp`, Avro): eventkit's runtime has no Avro codec",
    );
    expect(events).toContain('export const descriptors = {} as const;');
    const examples = await readFile(path.join(generated, 'examples.ts'), 'utf8');
    expect(examples).toContain('const value: userServiceV1.UserSignedUp = {');
    expect(examples).toContain('fraud: (): userServiceV1.UserDeleted => {');
    const checked = await typeCheck(root, ['src/reference/**/*.ts']);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);
    // An example that does not fit the generated type fails tsc (the literal is typed, not cast).
    const file = path.join(generated, 'examples.ts');
    await writeFile(file, examples.replace("plan: 'PRO'", "plan: 'GOLD'"));
    expect((await typeCheck(root, ['src/reference/**/*.ts'])).output).toContain(
      '\'"GOLD"\' is not assignable',
    );
    await writeFile(file, examples);
    const cli = await runCli(['-C', root, 'codegen', '--check']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(
      "Avro payloads, types and examples only (eventkit's runtime has no Avro codec",
    );
    expect(cli.stderr).toContain('user-service.v1.UserSignedUp');
  }, 180_000);

  it('the catalog shows the Avro fields and says there is no runtime codec', async () => {
    const root = await ready;
    const out = path.join(root, 'site');
    const run = await runCli(['-C', root, 'catalog', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const page = await readFile(path.join(out, 'events/user-service.v1.UserSignedUp.html'), 'utf8');
    const text = page
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, ' ');
    expect(text).toContain('Avro schema com.example.users.UserSignedUp');
    expect(text).not.toContain('No fields');
    expect(text).toContain(
      'signedUpAt long (timestamp-millis) required When the account was created (ms since epoch).',
    );
    expect(page).toContain('Sent <strong>once</strong> per account.');
    expect(text).toContain("eventkit's runtime has no Avro codec, so there is no publisher or handler");
    expect(text).not.toContain('createUserServicePublisher');
  }, 180_000);

  it('breaking sees a removed or retyped Avro field (through its JSON view)', async () => {
    const baseRoot = await ready;
    const headRoot = await copy('avro-users');
    const yaml = path.join(headRoot, 'asyncapi/users.yaml');
    const text = await readFile(yaml, 'utf8');
    await writeFile(
      yaml,
      text
        .replace(/ {12}- name: plan\n(?: {14}.*\n)+/, '')
        .replace(
          'type: string\n              doc: Account id (UUID).',
          'type: long\n              doc: Account id.',
        )
        .replace(/ +plan: PRO\n/, ''),
    );
    const head = await load(headRoot);
    expect(head.diagnostics).toEqual([]);
    const { report } = await compareProjects({
      base: { label: 'base', root: baseRoot, registry: (await load(baseRoot)).registry },
      head: { label: 'head', root: headRoot, registry: head.registry },
      skipBuf: true,
      pacts: [],
    });
    const changes = report.changes.map((c) => `${c.ruleId} ${c.class} ${c.message}`);
    expect(changes).toEqual([
      expect.stringMatching(/^jsonschema\/property-removed breaking property `plan` removed/),
      expect.stringMatching(
        /^jsonschema\/type-changed breaking type of `userId` changed from string to integer/,
      ),
    ]);
    expect(report.changes.map((c) => c.event)).toEqual([
      'user-service.v1.UserSignedUp',
      'user-service.v1.UserSignedUp',
    ]);
  }, 120_000);

  it('on a NATS service, Avro messages get no publisher method while JSON ones do; the code compiles', async () => {
    const root = await copy('avro-users');
    const yaml = path.join(root, 'asyncapi/users.yaml');
    const text = (await readFile(yaml, 'utf8'))
      .replace('protocol: kafka', 'protocol: nats')
      .replace('kafka.example.com:9092', 'nats.example.com:4222')
      .replace(
        'operations:\n',
        [
          '  userLoggedIn:',
          '    address: users.logged-in',
          '    messages:',
          '      UserLoggedIn:',
          '        payload: { type: object, required: [userId], properties: { userId: { type: string } } }',
          'operations:',
          '  sendUserLoggedIn:',
          '    action: send',
          '    channel:',
          "      $ref: '#/channels/userLoggedIn'",
          '',
        ].join('\n'),
      );
    await writeFile(yaml, text);
    const result = await load(root);
    expect(result.diagnostics).toEqual([]);
    await runCodegen(result.registry);
    const generated = path.join(root, 'src/reference/user-service/generated');
    const publisher = await readFile(path.join(generated, 'publisher.ts'), 'utf8');
    expect(publisher).toContain('sendUserLoggedIn');
    expect(publisher).not.toContain('sendUserSignedUp');
    expect(publisher).not.toContain('UserSignedUpV1');
    const checked = await typeCheck(root, ['src/reference/**/*.ts']);
    expect(checked.output).toBe('');
  }, 120_000);
});
