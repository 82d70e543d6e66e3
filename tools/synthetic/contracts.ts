// Synthetic Pact V4 message pacts and verification results for a registry, written like the contracts
// module writes them — so catalog tests read contract status through the real file formats.
import fs from 'node:fs';
import path from 'node:path';
import type { EventModel, FieldModel, Registry } from '../../src/model/types.ts';

export interface SyntheticContractsOptions {
  /** Share of subscriptions with a pact (0..1). Default 0.75. */
  readonly coverage?: number;
  /** Share of pacts whose last verification failed. Default 0.1. */
  readonly failing?: number;
  /** Share of pacts with no verification result yet. Default 0.1. */
  readonly unverified?: number;
}

export interface SyntheticContractsResult {
  readonly pactFiles: readonly string[];
  readonly interactions: number;
  readonly failing: readonly { consumer: string; provider: string; eventType: string }[];
}

/** A stable hash in [0, 1) of a string, so which pacts fail never depends on iteration order. */
function unit(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) / 4294967296;
}

/** The part of the payload a consumer relies on: the key and about half of the other fields. */
function expectedBody(event: EventModel, consumer: string): Record<string, unknown> {
  const example = (event.examples[0]?.payload ?? {}) as Record<string, unknown>;
  const key = event.partitionKey?.field;
  const body: Record<string, unknown> = {};
  event.payload.fields.forEach((f: FieldModel) => {
    if (f.name === key || unit(`${consumer}/${event.type}/${f.name}`) < 0.5)
      body[f.name] = example[f.name] ?? '';
  });
  return body;
}

export function writeSyntheticContracts(
  registry: Registry,
  root: string,
  options: SyntheticContractsOptions = {},
): SyntheticContractsResult {
  const coverage = options.coverage ?? 0.75;
  const failingShare = options.failing ?? 0.1;
  const unverifiedShare = options.unverified ?? 0.1;
  const pacts = new Map<string, { consumer: string; provider: string; interactions: unknown[] }>();
  const results: unknown[] = [];
  const failing: { consumer: string; provider: string; eventType: string }[] = [];
  let interactions = 0;
  for (const e of registry.events) {
    if (!e.producer || e.kind !== 'event') continue;
    for (const consumer of e.consumers) {
      const id = `${consumer}/${e.type}`;
      if (unit(`cover:${id}`) >= coverage) continue;
      const key = `${consumer}\u0000${e.producer}`;
      const pact = pacts.get(key) ?? { consumer, provider: e.producer, interactions: [] };
      const description = `${e.name} v${e.major} for ${consumer}`;
      pact.interactions.push({
        type: 'Asynchronous/Messages',
        description,
        key: id,
        pending: false,
        providerStates: [],
        contents: { content: expectedBody(e, consumer), contentType: 'application/json', encoded: false },
        metadata: { 'ce-type': e.type, contentType: 'application/json' },
        matchingRules: { body: { $: { combine: 'AND', matchers: [{ match: 'type' }] } } },
      });
      pacts.set(key, pact);
      interactions++;
      const roll = unit(`verify:${id}`);
      if (roll < unverifiedShare) continue;
      const status = roll < unverifiedShare + failingShare ? 'failing' : 'verified';
      if (status === 'failing') failing.push({ consumer, provider: e.producer, eventType: e.type });
      results.push({
        consumer,
        provider: e.producer,
        interaction: description,
        eventType: e.type,
        status,
        verifiedAt: '2026-11-20T10:00:00Z',
        providerVersion: '1.4.2',
        ...(status === 'failing'
          ? { failure: `$.${e.payload.fields[1]?.name ?? 'payload'}: expected a value of the pact's type` }
          : {}),
      });
    }
  }
  const dir = path.join(root, registry.config.output.pacts);
  fs.mkdirSync(dir, { recursive: true });
  const pactFiles: string[] = [];
  for (const p of [...pacts.values()].sort((a, b) =>
    `${a.consumer}/${a.provider}`.localeCompare(`${b.consumer}/${b.provider}`),
  )) {
    const file = path.join(dir, `${p.consumer}-${p.provider}.json`);
    const doc = {
      consumer: { name: p.consumer },
      provider: { name: p.provider },
      interactions: p.interactions,
      metadata: { pactSpecification: { version: '4.0' } },
    };
    fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    pactFiles.push(file);
  }
  const resultsFile = path.join(root, registry.config.output.results);
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(
    resultsFile,
    `${JSON.stringify({ generatedAt: '2026-11-20T10:00:00Z', results }, null, 2)}\n`,
  );
  return { pactFiles, interactions, failing };
}
