// The codegen input built from registries: names stay unique and consistent at scale (synthetic
// registry), same-named events of two contexts get qualified idents, multi-message operations get one
// member per message, and unknown services are refused.
import { describe, expect, it } from 'vitest';
import { buildCodegenInput, isCodegenError } from '../../src/codegen/index.ts';
import type { Registry } from '../../src/model/types.ts';
import { syntheticRegistry } from '../../tools/synthetic/registry.ts';
import { labRegistry } from './fixtures/lab-project.ts';

const runtime = { index: 'eventkit/runtime', api: 'eventkit/runtime' };

describe('buildCodegenInput', () => {
  it('keeps every name unique and every reference resolvable on a large synthetic registry', () => {
    const registry = syntheticRegistry({ services: 8, events: 80, consumersPerEvent: 3 });
    for (const service of registry.services) {
      const input = buildCodegenInput(registry, service.id, { runtime });
      const idents = input.messages.map((message) => message.ident);
      expect(new Set(idents).size).toBe(idents.length);
      const members = input.operations.map((operation) => operation.member);
      expect(new Set(members).size).toBe(members.length);
      const modules = new Set(input.typeModules.map((module) => module.fileName));
      for (const message of input.messages) {
        expect(modules.has(message.typeModule.fileName), `${message.type} has its types module`).toBe(true);
        expect(message.tsType.startsWith(`${message.typeModule.namespace}.`)).toBe(true);
      }
      for (const module of input.typeModules) {
        for (const imported of module.imports)
          expect(modules.has(imported.fileName), `${module.fileName} imports ${imported.fileName}`).toBe(
            true,
          );
      }
      for (const operation of input.operations) {
        expect(idents).toContain(operation.message);
        if (operation.action === 'receive' && !operation.requestReply)
          expect(operation.consumer?.durable).toMatch(new RegExp(`^${service.id}--`));
      }
      // Deterministic: the same registry gives the same input.
      expect(JSON.stringify(buildCodegenInput(registry, service.id, { runtime }))).toBe(
        JSON.stringify(input),
      );
    }
  });

  it('qualifies same-named messages of two contexts and splits multi-message operations', async () => {
    const lab = labRegistry('/lab');
    const sample = lab.events.find((event) => event.type === 'lab.v1.SampleTaken');
    if (!sample) throw new Error('fixture lacks SampleTaken');
    const copy = {
      ...sample,
      type: 'field.v1.SampleTaken',
      context: 'field',
      package: 'field.v1',
      subjectPattern: 'field.sample-taken.v1.{sampleId}',
      // The operation below carries it on the lab channel: its second channel.
      channels: [
        {
          address: 'field.sample-taken.v1.{sampleId}',
          subjectFilter: 'field.sample-taken.v1.>',
          operations: [],
        },
        ...sample.channels,
      ],
    };
    const registry: Registry = {
      ...lab,
      events: [...lab.events, { ...copy, payload: { ...sample.payload } }],
      operations: lab.operations.map((operation) =>
        operation.operationId === 'onSampleTaken'
          ? { ...operation, eventTypes: ['field.v1.SampleTaken', 'lab.v1.SampleTaken'] }
          : operation,
      ),
    };
    // Both payloads are the same proto message; only the registry's event identity differs.
    const input = buildCodegenInput(registry, 'lab', { runtime });
    const idents = input.messages.map((message) => message.ident);
    expect(idents).toContain('LabSampleTakenV1');
    expect(idents).toContain('FieldSampleTakenV1');
    const members = input.operations.filter((operation) => operation.operationId === 'onSampleTaken');
    // The field event travels on the operation's (lab) channel here: a descriptor of its own for that address.
    expect(members.map((operation) => [operation.member, operation.consumer?.durable])).toEqual([
      ['onSampleTakenFieldSampleTakenV1OnSampleTaken', 'lab--sample-taken-v1'],
      ['onSampleTakenLabSampleTakenV1', 'lab--sample-taken-v1'],
    ]);
  });

  it('refuses an unknown service with a CodegenError', async () => {
    const lab = labRegistry('/lab');
    let error: unknown;
    try {
      buildCodegenInput(lab, 'nope', { runtime });
    } catch (caught) {
      error = caught;
    }
    expect(isCodegenError(error)).toBe(true);
    expect((error as Error).message).toBe('unknown service "nope"');
  });
});
