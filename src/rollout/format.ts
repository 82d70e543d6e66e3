// The plan for people: numbered steps by wave, each with its can-i-deploy answer; blocked steps with why.
import type { RolloutPlan } from './types.ts';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const plain: Paint = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

export function formatPlan(plan: RolloutPlan, c: Paint = plain): string {
  const lines = [c.bold(`rollout: ${plan.base} → ${plan.head}`)];
  const runnable = plan.steps.filter((s) => s.blocked.length === 0);
  const blocked = plan.steps.filter((s) => s.blocked.length > 0);
  if (plan.steps.length === 0) lines.push('', 'nothing to deploy: no service changed');
  runnable.forEach((step, i) => {
    lines.push('', `${String(i + 1).padStart(2)}. ${c.bold(step.id)}  ${c.dim(`wave ${step.wave}`)}`);
    lines.push(`    ${step.what}`);
    for (const reason of step.reasons) lines.push(c.dim(`    · ${reason}`));
    lines.push(
      `    can-i-deploy: ${
        step.canIDeploy
          ? step.canIDeploy.deployable
            ? c.green(`yes — ${step.canIDeploy.reason}`)
            : c.red(`no — ${step.canIDeploy.reason}`)
          : c.dim('not asked (no --version and not a git checkout)')
      }`,
    );
  });
  if (blocked.length > 0) {
    lines.push('', c.red(c.bold('blocked')));
    for (const step of blocked) {
      lines.push(`  ${c.bold(step.id)}`, `    ${step.what}`);
      for (const reason of step.reasons) lines.push(c.dim(`    · ${reason}`));
      for (const why of step.blocked) lines.push(`    ${c.red(`✗ ${why}`)}`);
    }
  }
  if (plan.notes.length > 0) lines.push('', c.bold('notes'), ...plan.notes.map((n) => `  - ${n}`));
  lines.push(
    '',
    plan.safe
      ? c.green(`safe order: ${runnable.length} step(s)`)
      : c.red(`no safe order: ${blocked.length} step(s) blocked`),
  );
  return `${lines.join('\n')}\n`;
}
