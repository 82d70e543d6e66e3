// Cross-check of the pacts against the spec: every interaction must be a message the consumer receives and
// the provider sends in the AsyncAPI documents, its example body must fit the message's JSON-view schema,
// and its subject must fit the channel address. Coverage: every received event needs a consumer contract.
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Diagnostic, EventModel, FieldModel, Registry, Severity } from '../model/types.ts';
import {
  interactionEventType,
  interactionSubject,
  type LoadedPact,
  type PactMessageInteraction,
} from './pact-file.ts';
import {
  contentBody,
  interactionView,
  matchInteraction,
  metadataSubject,
  withMatchedTypes,
} from './pact-reader.ts';
import { subjectMatchesPattern, subjectRegexSource } from './subject.ts';

/** Rule ids of the cross-check; `unknown-*` are bad input (exit 2), the rest findings (exit 1). */
export const crossCheckRules = {
  unknownPacticipant: 'contract-unknown-pacticipant',
  unknownEvent: 'contract-unknown-event',
  notReceived: 'contract-not-received',
  notSent: 'contract-not-sent',
  bodySchema: 'contract-body-schema',
  unknownField: 'contract-unknown-field',
  subject: 'contract-subject',
  subjectRule: 'contract-subject-rule',
  contentType: 'contract-content-type',
  missing: 'contract-missing',
} as const;

/** A pact about participants that are not services here is a warning for that pact only (not bad input). */
export const badInputRules: ReadonlySet<string> = new Set([crossCheckRules.unknownEvent]);

export interface CrossCheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Interactions checked. */
  readonly interactions: number;
  /** Receive operations (consumer, event) that have a contract / that need one. */
  readonly coverage: { readonly covered: number; readonly total: number };
}

export function crossCheck(registry: Registry, pacts: readonly LoadedPact[]): CrossCheckResult {
  const diagnostics: Diagnostic[] = [];
  const severity = (ruleId: string, fallback: Severity = 'error'): Severity | undefined => {
    const setting = registry.config.rules[ruleId];
    return setting === 'off' ? undefined : (setting ?? fallback);
  };
  const report = (
    ruleId: string,
    message: string,
    file: string,
    line: number,
    hint?: string,
    fallback?: Severity,
  ) => {
    const level = severity(ruleId, fallback);
    if (level === undefined) return;
    diagnostics.push({
      ruleId,
      severity: level,
      message,
      location: { file, line, column: 1 },
      ...(hint === undefined ? {} : { hint }),
    });
  };
  const services = new Set(registry.services.map((s) => s.id));
  const events = new Map(registry.events.map((e) => [e.type, e]));
  const validators = new SchemaValidators();
  let interactionCount = 0;

  for (const loaded of pacts) {
    const { consumer, provider } = {
      consumer: loaded.pact.consumer.name,
      provider: loaded.pact.provider.name,
    };
    // One warning for a pact about participants that are not services here; its interactions are skipped,
    // every other pact is still checked (and verified).
    const strangers = (
      [
        ['consumer', consumer],
        ['provider', provider],
      ] as const
    ).filter(([, name]) => !services.has(name));
    if (strangers.length > 0) {
      const [firstSide] = strangers[0] ?? ['consumer'];
      report(
        crossCheckRules.unknownPacticipant,
        `pact ${strangers.map(([side, name]) => `${side} "${name}"`).join(' and ')} ${strangers.length > 1 ? 'are not services' : 'is not a service'} in the AsyncAPI documents (known: ${[...services].sort().join(', ') || 'none'}); its ${loaded.pact.interactions.length} interaction(s) are not checked`,
        loaded.file,
        loaded.lineOf([firstSide, 'name']),
        'rename the participant to a service id, or delete the stale pact file',
        'warning',
      );
      continue;
    }
    loaded.pact.interactions.forEach((interaction, index) => {
      interactionCount += 1;
      const at = (...within: (string | number)[]) => loaded.interactionLine(index, ...within);
      const label = `${consumer} ← ${provider} "${interaction.description}"`;
      // One rule for which event an interaction is about (pact-reader.ts): ce-type, subject, description, body.
      const match = matchInteraction(registry, provider, interactionView(interaction), (event, body) =>
        validators.fits(event, body),
      );
      if (match.event === undefined) {
        report(
          crossCheckRules.unknownEvent,
          `${label}: ${match.reason}`,
          loaded.file,
          at('metadata'),
          match.hint,
        );
        return;
      }
      const event = match.event;
      if (match.rule !== 'ce-type') {
        report(
          'contract-matched',
          `${label}: matched to ${event.type} by ${match.rule} (${match.detail})`,
          loaded.file,
          at(),
          'add metadata "ce-type" to make it explicit',
          'info',
        );
      }
      checkOperations(registry, consumer, provider, event, label, (rule, message, hint) =>
        report(rule, message, loaded.file, at('metadata', 'ce-type'), hint),
      );
      checkBody(event, interaction, validators, label, (rule, message, path) =>
        report(
          rule,
          message,
          loaded.file,
          at('contents', 'content', ...path),
          `see ${event.location.file}:${event.location.line}`,
        ),
      );
      checkSubject(event, interaction, label, (rule, message) =>
        report(
          rule,
          message,
          loaded.file,
          at('metadata', 'subject'),
          `channel address: ${event.subjectPattern} (${event.location.file}:${event.location.line})`,
        ),
      );
      const contentType = interaction.metadata['content-type'];
      if (contentType !== undefined && contentType !== event.contentType) {
        report(
          crossCheckRules.contentType,
          `${label}: content-type ${JSON.stringify(contentType)} but the spec says ${event.contentType}`,
          loaded.file,
          at('metadata', 'content-type'),
        );
      }
    });
  }

  // Coverage: each (consumer, event) receive operation must have at least one interaction.
  const contracted = new Set(
    pacts.flatMap((p) =>
      withMatchedTypes(registry, p).pact.interactions.map(
        (i) => `${p.pact.consumer.name}\u0000${interactionEventType(i)}`,
      ),
    ),
  );
  let total = 0;
  let covered = 0;
  for (const operation of registry.operations) {
    if (operation.action !== 'receive' || operation.requestReply) continue;
    for (const type of operation.eventTypes) {
      const event = events.get(type);
      if (event === undefined || event.kind !== 'event') continue;
      total += 1;
      if (contracted.has(`${operation.service}\u0000${type}`)) {
        covered += 1;
        continue;
      }
      report(
        crossCheckRules.missing,
        `${operation.service} receives ${type} (operation ${operation.operationId}) but has no consumer contract for it`,
        operation.location.file,
        operation.location.line,
        `add an interaction to test/contracts/consumers/${operation.service}.pact.test.ts`,
      );
    }
  }
  diagnostics.sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      a.ruleId.localeCompare(b.ruleId),
  );
  return { diagnostics, interactions: interactionCount, coverage: { covered, total } };
}

type Report = (ruleId: string, message: string, hint?: string) => void;

function checkOperations(
  registry: Registry,
  consumer: string,
  provider: string,
  event: EventModel,
  label: string,
  report: Report,
): void {
  const receives = registry.operations.find(
    (op) => op.service === consumer && op.action === 'receive' && op.eventTypes.includes(event.type),
  );
  if (receives === undefined) {
    report(
      crossCheckRules.notReceived,
      `${label}: ${consumer} has no receive operation for ${event.type} in its AsyncAPI document`,
      `the interaction is no longer in the spec: add the receive operation, or drop the interaction`,
    );
  }
  const sends = registry.operations.find(
    (op) => op.service === provider && op.action === 'send' && op.eventTypes.includes(event.type),
  );
  if (sends === undefined) {
    const actual = event.producer === undefined ? 'nobody sends it' : `it is sent by ${event.producer}`;
    report(
      crossCheckRules.notSent,
      `${label}: ${provider} has no send operation for ${event.type} (${actual})`,
      'point the consumer test at the service that publishes the event',
    );
  }
}

type BodyReport = (ruleId: string, message: string, path: readonly (string | number)[]) => void;

function checkBody(
  event: EventModel,
  interaction: PactMessageInteraction,
  validators: SchemaValidators,
  label: string,
  report: BodyReport,
): void {
  const body = contentBody(interaction.contents);
  // Unknown fields first: they name the exact field the consumer expects and the spec lacks.
  const unknown = unknownFields(body, event.payload.fields, []);
  for (const path of unknown) {
    report(
      crossCheckRules.unknownField,
      `${label}: the consumer expects ${formatPath(path)}, which ${event.type} does not have`,
      path,
    );
  }
  const validate = validators.get(event);
  if (validate !== undefined && !validate(body)) {
    for (const error of validate.errors ?? []) {
      if (error.keyword === 'additionalProperties' && unknown.length > 0) continue;
      const path = pointerToPath(error.instancePath);
      report(
        crossCheckRules.bodySchema,
        `${label}: example body ${formatPath(path)} ${error.message ?? 'is invalid'}`,
        path,
      );
    }
  }
}

function checkSubject(
  event: EventModel,
  interaction: PactMessageInteraction,
  label: string,
  report: Report,
): void {
  const subject = interactionSubject(interaction) ?? metadataSubject(interaction.metadata);
  if (subject === undefined) {
    // eventkit's own pacts always carry the subject; a pact from elsewhere may name none (matched otherwise).
    if (typeof interaction.metadata['ce-type'] === 'string')
      report(crossCheckRules.subject, `${label}: no subject metadata`);
    return;
  }
  if (!event.channels.some((c) => subjectMatchesPattern(subject, c.address))) {
    report(
      crossCheckRules.subject,
      `${label}: subject ${subject} does not match the channel address ${event.subjectPattern}`,
    );
  }
  const rule = interaction.matchingRules?.metadata?.subject?.matchers.find((m) => m.match === 'regex');
  const expected = subjectRegexSource(event.subjectPattern);
  if (rule?.regex !== undefined && rule.regex !== expected) {
    report(
      crossCheckRules.subjectRule,
      `${label}: subject rule ${rule.regex} differs from the channel address's ${expected}`,
    );
  }
}

/** Paths of body keys that are not fields of the payload (JSON names), recursing into nested messages. */
function unknownFields(
  value: unknown,
  fields: readonly FieldModel[] | undefined,
  path: readonly (string | number)[],
): (string | number)[][] {
  if (fields === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const found: (string | number)[][] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = fields.find((f) => f.name === key || f.protoName === key);
    if (field === undefined) {
      found.push([...path, key]);
      continue;
    }
    if (field.kind !== 'message' && field.kind !== 'map') continue;
    if (field.kind === 'map') {
      if (child !== null && typeof child === 'object') {
        for (const [mapKey, mapValue] of Object.entries(child))
          found.push(...unknownFields(mapValue, field.fields, [...path, key, mapKey]));
      }
    } else if (field.repeated && Array.isArray(child)) {
      child.forEach((item, i) => {
        found.push(...unknownFields(item, field.fields, [...path, key, i]));
      });
    } else {
      found.push(...unknownFields(child, field.fields, [...path, key]));
    }
  }
  return found;
}

function formatPath(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const require = createRequire(import.meta.url);

/** One compiled ajv validator per event type; draft 2020-12 when the schema says so. */
export class SchemaValidators {
  private readonly cache = new Map<string, ValidateFunction | undefined>();
  private ajv07: AjvLike | undefined;
  private ajv2020: AjvLike | undefined;

  get(event: EventModel): ValidateFunction | undefined {
    if (this.cache.has(event.type)) return this.cache.get(event.type);
    const schema = event.payload.jsonSchema;
    let validate: ValidateFunction | undefined;
    try {
      validate = this.ajvFor(schema).compile(withoutId(schema));
    } catch {
      // A schema ajv cannot compile is the model's and lint's problem; the field walk above still runs.
      validate = undefined;
    }
    this.cache.set(event.type, validate);
    return validate;
  }

  /** True when the body validates against the event's JSON-view schema (the body-schema matching rule). */
  fits(event: EventModel, body: unknown): boolean {
    return this.get(event)?.(body) === true;
  }

  private ajvFor(schema: Readonly<Record<string, unknown>>): AjvLike {
    const is2020 = String(schema.$schema ?? '').includes('2020-12');
    if (is2020) {
      this.ajv2020 ??= makeAjv(require('ajv/dist/2020').default);
      return this.ajv2020;
    }
    this.ajv07 ??= makeAjv(require('ajv').default);
    return this.ajv07;
  }
}

interface AjvLike {
  compile(schema: object): ValidateFunction;
}

function makeAjv(AjvClass: new (options: object) => AjvLike): AjvLike {
  const ajv = new AjvClass({ allErrors: true, strict: false, validateFormats: true });
  require('ajv-formats').default(ajv);
  return ajv;
}

/** Compiling many schemas with the same `$id` in one ajv throws; the id is not needed here. */
function withoutId(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $id: _id, ...rest } = schema;
  return rest;
}
