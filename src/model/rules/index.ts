// `lint`: every design rule over a registry, plus load diagnostics and `buf lint`; severities from the config.
import { dedupeDiagnostics, sortDiagnostics } from '../diagnostics.ts';
import type { Diagnostic, LoadResult, Registry, RuleSetting } from '../types.ts';
import { bufLint } from './buf-lint.ts';
import { createRuleContext, type DesignRule } from './context.ts';
import { eventVersion, headersCloudEvents, subjectConvention } from './convention-rules.ts';
import {
  eventDuplicateType,
  eventSingleSender,
  operationUnknownMessage,
  receiveNoSender,
} from './event-rules.ts';
import { exampleInvalid } from './example-rules.ts';
import { durableUnique, streamOverlap, streamReplicas } from './nats-rules.ts';
import { versionRetirable } from './version-rules.ts';

export { bufLint, findBufBinary } from './buf-lint.ts';
export type { DesignRule, RuleContext } from './context.ts';
export { createSchemaValidator, describeAjvErrors } from './example-rules.ts';

/** Design rules by id; `convention` names the config switch that turns a rule off. */
export const designRules: readonly {
  readonly id: string;
  readonly rule: DesignRule;
  readonly convention?: 'subjects' | 'cloudEvents';
}[] = [
  { id: 'event-duplicate-type', rule: eventDuplicateType },
  { id: 'event-single-sender', rule: eventSingleSender },
  { id: 'receive-no-sender', rule: receiveNoSender },
  { id: 'operation-unknown-message', rule: operationUnknownMessage },
  { id: 'example-invalid', rule: exampleInvalid },
  { id: 'durable-unique', rule: durableUnique },
  { id: 'stream-overlap', rule: streamOverlap },
  { id: 'stream-replicas', rule: streamReplicas },
  { id: 'version-retirable', rule: versionRetirable },
  { id: 'subject-convention', rule: subjectConvention, convention: 'subjects' },
  { id: 'event-version', rule: eventVersion, convention: 'subjects' },
  { id: 'headers-cloudevents', rule: headersCloudEvents, convention: 'cloudEvents' },
];

export interface LintOptions {
  /** Run `buf lint` (default: config.bufLint). */
  readonly buf?: boolean;
}

/** Applies `config.rules`: `off` drops a diagnostic, `warning` / `error` change its severity. `buf` covers every `buf/…` rule. */
export function applyRuleSettings(
  diagnostics: readonly Diagnostic[],
  rules: Readonly<Record<string, RuleSetting>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const setting = rules[d.ruleId] ?? (d.ruleId.startsWith('buf/') ? rules.buf : undefined);
    if (setting === 'off') continue;
    out.push(setting ? { ...d, severity: setting } : d);
  }
  return out;
}

/** The design rules only (synchronous, no buf), before rule settings. */
export function runDesignRules(registry: Registry): Diagnostic[] {
  const context = createRuleContext(registry);
  const conventions = registry.config.conventions;
  return designRules
    .filter((r) => !r.convention || conventions[r.convention])
    .flatMap((r) => r.rule(registry, context));
}

function isLoadResult(input: Registry | LoadResult): input is LoadResult {
  return 'registry' in input && 'diagnostics' in input;
}

/**
 * Every diagnostic of a project: the load diagnostics (when given a LoadResult), the design rules and
 * `buf lint`, with `config.rules` applied, de-duplicated and sorted by file and line.
 */
export async function lint(input: Registry | LoadResult, options: LintOptions = {}): Promise<Diagnostic[]> {
  const registry = isLoadResult(input) ? input.registry : input;
  const loadDiagnostics = isLoadResult(input) ? input.diagnostics : [];
  const runBuf = options.buf ?? registry.config.bufLint;
  const brokenProtoFiles = loadDiagnostics
    .filter((d) => d.ruleId === 'proto-syntax' && d.location)
    .map((d) => d.location?.file as string);
  const [buf, design] = await Promise.all([
    runBuf ? bufLint(registry.config, brokenProtoFiles) : Promise.resolve([]),
    Promise.resolve().then(() => runDesignRules(registry)),
  ]);
  return sortDiagnostics(
    dedupeDiagnostics(applyRuleSettings([...loadDiagnostics, ...design, ...buf], registry.config.rules)),
  );
}
