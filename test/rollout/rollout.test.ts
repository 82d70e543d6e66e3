// `eventkit rollout` on change histories of the reference documents, planned by the library from the real
// loader, buf and pacts, and once through the CLI: the expected plans, blocked steps and exit codes.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBreaking, type ProjectLoader } from '../../src/compat/index.ts';
import { loadConfig, loadRegistry } from '../../src/model/index.ts';
import { planRollout, type RolloutPlan, type StepAnswer } from '../../src/rollout/index.ts';
import { runCli } from '../cli/run-cli.ts';
import {
  beforeOrderPlacedV2,
  editDocument,
  notificationsStopsV1,
  ordersStopsV1,
  referenceCopy,
  replaceIn,
  repoRoot,
  scratchDir,
} from './histories.ts';

const load: ProjectLoader = async (root) => {
  const { config, diagnostics: c } = await loadConfig(root);
  const { registry, diagnostics } = await loadRegistry(config);
  return { config, registry, diagnostics: [...c, ...diagnostics] };
};

const everyoneVerified = (): StepAnswer => ({ deployable: true, reason: 'verified' });

async function plan(
  head: string,
  base: string,
  deployAnswer: (service: string) => StepAnswer | undefined = everyoneVerified,
): Promise<RolloutPlan> {
  const compared = await checkBreaking({ cwd: head, against: `dir:${base}`, load });
  return planRollout({
    base: compared.base.registry,
    head: compared.head.registry,
    report: compared.report,
    pacts: compared.pacts,
    deployAnswer,
  });
}

/** `[wave, step id]` of the runnable steps, and the blocked step ids. */
const shape = (p: RolloutPlan) => ({
  order: p.steps.filter((s) => s.blocked.length === 0).map((s) => [s.wave, s.id]),
  blocked: p.steps.filter((s) => s.blocked.length > 0).map((s) => s.id),
});

let scratch: string;
let beforeV2: string;

beforeAll(async () => {
  scratch = await scratchDir();
  beforeV2 = await referenceCopy(scratch, 'before-v2', beforeOrderPlacedV2);
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(scratch, { recursive: true, force: true });
});

describe('OrderPlaced v1 → v2: payments moves, notifications stays', () => {
  it('orders publishes v2 beside v1 first, then payments moves; v1 stays for notifications', async () => {
    const p = await plan(repoRoot, beforeV2);
    expect(shape(p)).toEqual({
      order: [
        [1, 'deploy orders'],
        [2, 'deploy payments'],
      ],
      blocked: [],
    });
    expect(p.safe).toBe(true);
    const payments = p.steps.find((s) => s.id === 'deploy payments');
    expect(payments?.reasons).toContain('moves to orders.v2.OrderPlaced');
    expect(payments?.after).toEqual(['deploy orders']);
    expect(p.notes.join('\n')).toContain(
      'orders.v1.OrderPlaced stays published beside orders.v2.OrderPlaced: still read by notifications',
    );
    expect(p.notes.join('\n')).toContain('eventkit provision --prune` deletes payments--order-placed-v1');
  });

  it('a step that fails can-i-deploy is blocked, and so is what waits for it', async () => {
    const p = await plan(repoRoot, beforeV2, (service) =>
      service === 'orders'
        ? { deployable: false, reason: '1 failed (orders → payments)' }
        : everyoneVerified(),
    );
    expect(p.safe).toBe(false);
    expect(shape(p).blocked).toEqual(['deploy orders', 'deploy payments']);
    const payments = p.steps.find((s) => s.id === 'deploy payments');
    expect(payments?.blocked).toEqual(['waits for "deploy orders", which is blocked']);
  });
});

describe('retiring OrderPlaced v1', () => {
  it('is blocked while notifications still reads it (version-retirable does not hold)', async () => {
    const head = await referenceCopy(scratch, 'orders-stops-v1', [ordersStopsV1]);
    const p = await plan(head, repoRoot);
    expect(shape(p)).toEqual({ order: [], blocked: ['retire orders.v1.OrderPlaced'] });
    expect(p.steps[0]?.blocked.join()).toContain(
      'version-retirable does not hold: notifications still read orders.v1.OrderPlaced',
    );
  });

  it('goes last, after notifications stopped reading it', async () => {
    const head = await referenceCopy(scratch, 'retire-v1', [ordersStopsV1, notificationsStopsV1]);
    const p = await plan(head, repoRoot);
    expect(shape(p)).toEqual({
      order: [
        [1, 'deploy notifications'],
        [2, 'retire orders.v1.OrderPlaced'],
      ],
      blocked: [],
    });
    expect(p.notes.join('\n')).toContain('notifications--order-placed-v1');
  });
});

describe('payload changes', () => {
  it('a field removal has no safe order: publish a new major', async () => {
    const head = await referenceCopy(scratch, 'field-removed', [
      replaceIn(
        'contracts/proto/orders/v2/events.proto',
        /\n\s*\/\/ Reference to the customer's stored payment method[^\n]*\n\s*string payment_method_id = 5;/,
        '',
      ),
    ]);
    const p = await plan(head, repoRoot);
    expect(p.safe).toBe(false);
    const orders = p.steps.find((s) => s.id === 'deploy orders');
    expect(orders?.blocked.join('\n')).toMatch(/buf\/FIELD_NO_DELETE_UNLESS_\w+_RESERVED/);
    expect(orders?.blocked.join('\n')).toContain('no deploy order keeps every stored message readable');
  });

  it('a rename has no safe order either', async () => {
    const head = await referenceCopy(scratch, 'field-renamed', [
      replaceIn(
        'contracts/proto/payments/v1/events.proto',
        'google.protobuf.Timestamp approved_at = 5;',
        'google.protobuf.Timestamp charged_at = 5;',
      ),
    ]);
    const p = await plan(head, repoRoot);
    expect(shape(p).blocked).toEqual(['deploy payments']);
    expect(p.steps.find((s) => s.id === 'deploy payments')?.blocked.join('\n')).toContain('buf/FIELD_SAME_');
  });

  const couponField = replaceIn(
    'contracts/proto/orders/v2/events.proto',
    'google.protobuf.Timestamp placed_at = 6;',
    'google.protobuf.Timestamp placed_at = 6;\n  // Voucher code the customer entered.\n  string coupon_code = 7;',
  );

  it('an added field: consumers that redeploy go first (they must tolerate it)', async () => {
    const head = await referenceCopy(scratch, 'field-added', [
      couponField,
      editDocument('payments.yaml', (doc) =>
        doc.setIn(['info', 'description'], 'Charges orders (tolerates coupons).'),
      ),
    ]);
    const p = await plan(head, repoRoot);
    expect(shape(p)).toEqual({
      order: [
        [1, 'deploy payments'],
        [2, 'deploy orders'],
      ],
      blocked: [],
    });
  });

  it('an added field a consumer starts relying on (its pact reads it): the producer goes first', async () => {
    const head = await referenceCopy(scratch, 'field-relied-on', [
      couponField,
      replaceIn(
        'contracts/pacts/payments-orders.json',
        '"paymentMethodId": "pm_visa_4242"',
        '"paymentMethodId": "pm_visa_4242", "couponCode": "SPRING"',
      ),
    ]);
    const p = await plan(head, repoRoot);
    expect(shape(p)).toEqual({
      order: [
        [1, 'deploy orders'],
        [2, 'deploy payments'],
      ],
      blocked: [],
    });
    expect(p.steps.find((s) => s.id === 'deploy payments')?.reasons.join('\n')).toContain(
      'starts relying on `couponCode` of orders.v2.OrderPlaced',
    );
  });
});

describe('eventkit rollout (CLI)', () => {
  it('prints the plan with can-i-deploy answers from the matrix; --json; exit 0 / 1', async () => {
    // A matrix where every pact of the head is verified at version 9.9.9, except orders → payments in a copy.
    const head = await referenceCopy(scratch, 'cli-head');
    const { readdir } = await import('node:fs/promises');
    const pacts = (await readdir(path.join(head, 'contracts/pacts'))).filter((f) => f.endsWith('.json'));
    const matrix = (failing?: string) => ({
      schemaVersion: 1,
      pacts: pacts.map((file) => {
        const [consumer, provider] = file.replace('.json', '').split('-');
        return {
          consumer,
          consumerVersion: '9.9.9',
          provider,
          pactSha256: file,
          file: `contracts/pacts/${file}`,
          interactions: 1,
        };
      }),
      verifications: pacts.map((file) => {
        const [consumer, provider] = file.replace('.json', '').split('-');
        const ok = file !== failing;
        return {
          provider,
          providerVersion: '9.9.9',
          consumer,
          consumerVersion: '9.9.9',
          pactSha256: file,
          success: ok,
          interactions: 1,
          failed: ok ? 0 : 1,
          failures: [],
        };
      }),
    });
    await writeFile(path.join(head, 'contracts/verification-results.json'), JSON.stringify(matrix()));
    const failingHead = await referenceCopy(scratch, 'cli-failing');
    await writeFile(
      path.join(failingHead, 'contracts/verification-results.json'),
      JSON.stringify(matrix('payments-orders.json')),
    );
    const [text, json, failing] = await Promise.all([
      runCli(['-C', head, 'rollout', '--against', `dir:${beforeV2}`, '--version', '9.9.9']),
      runCli(['-C', head, 'rollout', '--against', `dir:${beforeV2}`, '--version', '9.9.9', '--json']),
      runCli(['-C', failingHead, 'rollout', '--against', `dir:${beforeV2}`, '--version', '9.9.9', '--json']),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/1\. deploy orders[\s\S]*can-i-deploy: yes[\s\S]*2\. deploy payments/);
    expect(text.stdout).toContain('safe order: 2 step(s)');
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as RolloutPlan & { version: string };
    expect(parsed.version).toBe('9.9.9');
    expect(parsed.steps.map((s) => [s.id, s.canIDeploy?.deployable])).toEqual([
      ['deploy orders', true],
      ['deploy payments', true],
    ]);
    expect(failing.code, failing.stderr).toBe(1);
    const blocked = JSON.parse(failing.stdout) as RolloutPlan;
    expect(blocked.safe).toBe(false);
    expect(blocked.steps.find((s) => s.id === 'deploy orders')?.blocked.join()).toContain(
      'can-i-deploy orders: no',
    );
  });

  it('an unknown ref is bad input (exit 2)', async () => {
    const run = await runCli(['rollout', '--against', 'no-such-ref-anywhere']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
