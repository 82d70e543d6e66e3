// Child-process entry of `eventkit verify`: the Pact verifier (native code) prints its own report on
// stdout, which would corrupt `--json` output; running it here keeps the parent's stdout clean. Receives
// IsolatedVerifyRequest over IPC, answers with progress messages and one result.
import { brokerFromEnv } from './broker.ts';
import { isContractsError } from './errors.ts';
import { loadContractsProject } from './project.ts';
import type { IsolatedVerifyRequest, WorkerMessage } from './verify-isolated.ts';
import { errorToDiagnostic, runVerification } from './verify-run.ts';

const send = (message: WorkerMessage) =>
  new Promise<void>((resolve) => {
    process.send?.(message, () => resolve());
  });

process.once('message', async (request: IsolatedVerifyRequest) => {
  try {
    const project = await loadContractsProject(request.root);
    const broker = brokerFromEnv(process.env);
    if (project.errors.length > 0) {
      await send({ kind: 'spec-errors', diagnostics: [...project.errors] });
    } else {
      const result = await runVerification({
        root: project.config.root,
        pacts: request.pacts ?? project.config.output.pacts,
        results: request.results ?? project.config.output.results,
        version: request.version,
        providers: { globs: request.providerGlobs },
        registry: project.registry,
        ...(request.only === undefined ? {} : { only: request.only }),
        record: request.record,
        ...(broker === undefined ? {} : { broker }),
        onProgress: (message) => {
          void send({ kind: 'progress', message });
        },
      });
      await send({ kind: 'result', result });
    }
  } catch (error) {
    if (isContractsError(error)) await send({ kind: 'spec-errors', diagnostics: [errorToDiagnostic(error)] });
    else
      await send({
        kind: 'crash',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
  }
  process.disconnect?.();
});
