// The registry summary of a corpus system: what eventkit read from it (services, events with sender,
// receivers and every channel address, streams) and what it said about it (load, lint and pact diagnostics
// as `severity rule file:line`). Deterministic, so a change in reading shows as a diff of `expected.json`.
import path from 'node:path';
import { crossCheck } from '../../src/contracts/cross-check.ts';
import { readPactDir } from '../../src/contracts/pact-file.ts';
import { lint } from '../../src/model/index.ts';
import type { Diagnostic, LoadResult } from '../../src/model/types.ts';

export interface CorpusSummary {
  readonly services: readonly {
    readonly id: string;
    readonly title: string;
    readonly context: string;
    readonly file: string;
    readonly servers: readonly string[];
    readonly sends: readonly string[];
    readonly receives: readonly string[];
  }[];
  readonly events: readonly {
    readonly type: string;
    readonly kind: string;
    readonly producer: string | null;
    readonly consumers: readonly string[];
    readonly payload: string;
    readonly fields: readonly string[];
    readonly stream: string | null;
    readonly channels: readonly { readonly address: string; readonly operations: readonly string[] }[];
  }[];
  readonly streams: readonly string[];
  readonly pacts: number;
  readonly diagnostics: readonly string[];
}

function line(diagnostic: Diagnostic): string {
  const at = diagnostic.location ? ` ${diagnostic.location.file}:${diagnostic.location.line}` : '';
  // Which event a pact interaction was matched to, and by which rule, is part of the reading.
  const matched = /matched to (\S+) by ([\w-]+)/.exec(diagnostic.message);
  const extra =
    diagnostic.ruleId === 'contract-matched' && matched ? ` → ${matched[1]} by ${matched[2]}` : '';
  return `${diagnostic.severity} ${diagnostic.ruleId}${at}${extra}`;
}

export async function corpusSummary(result: LoadResult): Promise<CorpusSummary> {
  const { registry } = result;
  const root = registry.config.root;
  const linted = await lint(result, { buf: false });
  const { pacts, errors } = await readPactDir(path.join(root, registry.config.output.pacts), root);
  // Coverage findings (`contract-missing`) only mean something for a system that has pacts at all.
  const checked = pacts.length + errors.length > 0 ? crossCheck(registry, pacts).diagnostics : [];
  const pactErrors = errors.map((error) => `error ${error.code} ${error.file ?? ''}:${error.line ?? 0}`);
  const diagnostics = [...new Set([...result.diagnostics, ...linted, ...checked].map(line)), ...pactErrors];
  return {
    services: registry.services.map((s) => ({
      id: s.id,
      title: s.title,
      context: s.context,
      file: s.document.file,
      servers: s.servers.map((server) => `${server.id}:${server.protocol}`),
      sends: [...s.sends],
      receives: [...s.receives],
    })),
    events: registry.events.map((e) => ({
      type: e.type,
      kind: e.kind,
      producer: e.producer ?? null,
      consumers: [...e.consumers],
      payload: `${e.payload.kind} ${e.contentType}`,
      fields: e.payload.fields.map(
        (f) => `${f.name}${f.required ? '' : '?'}: ${f.type}${f.repeated ? '[]' : ''}`,
      ),
      stream: e.stream ?? null,
      channels: e.channels.map((c) => ({ address: c.address, operations: [...c.operations] })),
    })),
    streams: registry.streams.map((s) => `${s.name} ${s.subjects.join(' ')}`),
    pacts: pacts.length + errors.length,
    diagnostics: diagnostics.sort(),
  };
}
