// `eventkit rollout --against <git-ref | dir> [--version <v>] [--json]`: the order to deploy services in, from
// the change between the deployed documents and the new ones (src/compat), the versions side by side and the
// verification matrix (can-i-deploy per step). Exit 1 when no safe order exists.
import path from 'node:path';
import type { Command } from 'commander';
import type { ProjectLoader } from '../../compat/index.ts';
import { gitVersion } from '../../contracts/version.ts';
import type { Diagnostic } from '../../model/types.ts';
import { exitCodes } from '../exit-codes.ts';
import { colorsFor } from '../output/index.ts';
import type { RegisterCommand } from './index.ts';

interface RolloutFlags {
  readonly against: string;
  readonly version?: string;
  readonly json?: boolean;
}

const loadProject: ProjectLoader = async (root) => {
  const { loadConfig, loadRegistry } = await import('../../model/index.ts');
  const { config, diagnostics: configDiagnostics } = await loadConfig(root);
  const { registry, diagnostics } = await loadRegistry(config);
  return { config, registry, diagnostics: [...configDiagnostics, ...diagnostics] };
};

function describeDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column}: ` : '';
  return `${where}${d.severity} ${d.ruleId}: ${d.message}${d.hint ? `\n    hint: ${d.hint}` : ''}`;
}

export const registerRollout: RegisterCommand = (program, setExitCode) => {
  program
    .command('rollout')
    .description('Plan the order to deploy services in, from the deployed documents to the new ones')
    .requiredOption(
      '--against <ref|dir>',
      'the deployed documents: git ref or project folder (`git:`/`dir:` to force)',
    )
    .option(
      '--version <version>',
      'version the new services ship, for can-i-deploy (default: the git commit)',
    )
    .option('--json', 'print the plan as JSON')
    .addHelpText(
      'after',
      '\nEach step deploys one service (or retires an old major of an event) with its can-i-deploy answer from\n' +
        'the verification matrix. Consumers go first for additive changes they must tolerate; producers go first\n' +
        'when a consumer starts relying on a new field (its pact reads it); a new major is published beside the\n' +
        'old one before any consumer moves, and the old one is retired only when version-retirable holds.\n' +
        'Changes no order makes safe (buf WIRE_JSON breaking, new-major AsyncAPI changes) block the plan.\n' +
        'Exit codes: 0 a safe order exists, 1 no safe order (a blocked step or a cycle), 2 bad input\n' +
        '(unknown ref, documents that do not load).\n' +
        '\nExamples:\n' +
        '  $ eventkit rollout --against main                     plan from what main (deployed) has to this checkout\n' +
        '  $ eventkit rollout --against v1.4.0 --version 1.5.0   can-i-deploy answers for version 1.5.0\n' +
        '  $ eventkit rollout --against dir:../deployed --json',
    )
    .action(async (flags: RolloutFlags, command: Command) => {
      const cwd = path.resolve((command.optsWithGlobals() as { cwd: string }).cwd);
      const err = colorsFor(process.stderr);
      const [
        { checkBreaking, isCompatError },
        { canIDeploy, isContractsError, readResults },
        { planRollout, formatPlan },
      ] = await Promise.all([
        import('../../compat/index.ts'),
        import('../../contracts/index.ts'),
        import('../../rollout/index.ts'),
      ]);
      let compared: Awaited<ReturnType<typeof checkBreaking>>;
      try {
        compared = await checkBreaking({
          cwd,
          against: flags.against,
          load: loadProject,
          progress: (line) => process.stderr.write(err.dim(`eventkit rollout: ${line}\n`)),
        });
      } catch (error) {
        if (!isCompatError(error)) throw error;
        process.stderr.write(`eventkit rollout: ${error.message}\n`);
        for (const d of error.diagnostics) process.stderr.write(`  ${describeDiagnostic(d)}\n`);
        if (error.hint) process.stderr.write(`  hint: ${error.hint}\n`);
        setExitCode(exitCodes.badInput);
        return;
      }
      const { head, base, report, pacts } = compared;
      const config = head.registry.config;
      const version = flags.version ?? (await gitVersion(config.root));
      let deployAnswer:
        | ((service: string) => { deployable: boolean; reason: string } | undefined)
        | undefined;
      if (version !== undefined) {
        try {
          const matrix = await readResults(path.resolve(config.root, config.output.results), config.root);
          const known = head.registry.services.map((s) => s.id);
          deployAnswer = (service) => {
            const answer = canIDeploy(matrix, service, version, known);
            return { deployable: answer.deployable, reason: answer.reason };
          };
        } catch (error) {
          if (!isContractsError(error)) throw error;
          process.stderr.write(`eventkit rollout: ${error.message}\n`);
          setExitCode(exitCodes.badInput);
          return;
        }
      } else
        process.stderr.write(
          'eventkit rollout: not a git checkout and no --version: can-i-deploy is not asked\n',
        );
      const plan = planRollout({
        base: base.registry,
        head: head.registry,
        report,
        pacts,
        ...(deployAnswer ? { deployAnswer } : {}),
      });
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ ...plan, version: version ?? null }, null, 2)}\n`
          : formatPlan(plan, colorsFor(process.stdout)),
      );
      setExitCode(plan.safe ? exitCodes.ok : exitCodes.findings);
    });
};
