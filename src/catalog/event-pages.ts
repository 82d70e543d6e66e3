// Event pages: the data each page needs besides the site model (highlighted sources and snippets), and the
// slice of the site model a render worker needs for a batch of events. The build renders event pages on the
// main thread and in render workers with the same code, so a page's bytes never depend on where it rendered.

import { usesJetStream } from '../model/names.ts';
import { eventProtocol } from '../model/query.ts';
import type {
  EventModel,
  OperationModel,
  PayloadModel,
  ProtoFileModel,
  Registry,
  ServiceModel,
} from '../model/types.ts';
import type { CatalogContent } from './content.ts';
import { highlightJson, highlightProto, highlightTs, protoDeclarations, protoExcerpt } from './highlight.ts';
import type { VersionDiff } from './inputs.ts';
import type { EventPageData } from './pages/event.tsx';
import type { Chrome } from './render.tsx';
import { eventTags, type SiteModel, type Subscription, versionKey } from './site-model.ts';
import { usageSnippets } from './snippets.ts';
import { urls } from './urls.ts';

/** Highlighted proto excerpts need each proto file split into declarations once, not once per event. */
export class ProtoSources {
  private readonly byFile: ReadonlyMap<string, ProtoFileModel>;
  private readonly declarations = new Map<string, Map<string, string>>();

  constructor(protoFiles: readonly ProtoFileModel[]) {
    this.byFile = new Map(protoFiles.map((p) => [p.file, p]));
  }

  file(file: string): ProtoFileModel | undefined {
    return this.byFile.get(file);
  }

  declarationsOf(file: string, source: string): Map<string, string> {
    let decls = this.declarations.get(file);
    if (!decls) {
      decls = protoDeclarations(source);
      this.declarations.set(file, decls);
    }
    return decls;
  }
}

export function eventPageData(
  site: SiteModel,
  e: EventModel,
  tags: readonly string[],
  protos: ProtoSources,
): EventPageData {
  const data: { -readonly [K in keyof EventPageData]: EventPageData[K] } = { event: e, tags };
  if (e.payload.kind === 'protobuf') {
    const file = e.payload.protoFile;
    const decls = protos.declarationsOf(file, e.payload.protoSource);
    const excerpt = protoExcerpt(decls, e.payload.messageType.split('.').pop() ?? e.name);
    if (excerpt) data.protoHtml = highlightProto(excerpt);
    const proto = protos.file(file);
    if (proto) data.protoHref = urls.proto(proto.importPath);
  }
  const example = e.examples[0];
  if (example) data.exampleHtml = highlightJson(JSON.stringify(example.payload, null, 2));
  const firstReceiver = site.subscriptions.get(e.type)?.[0];
  const receiver = firstReceiver
    ? {
        service: firstReceiver.consumer,
        ...(firstReceiver.operation ? { operation: firstReceiver.operation } : {}),
      }
    : undefined;
  // Publishers and handlers exist for NATS services and payloads the runtime can encode (not Avro).
  const runtimeUsable = usesJetStream(eventProtocol(site.registry, e)) && e.payload.kind !== 'avro';
  if (!runtimeUsable) return data;
  const snippets = usageSnippets(
    e,
    site.sendOperation.get(e.type),
    receiver,
    site.registry.config.output.codegen,
  );
  if (snippets.publish) data.publishHtml = highlightTs(snippets.publish);
  if (snippets.subscribe) data.subscribeHtml = highlightTs(snippets.subscribe);
  return data;
}

/** What every batch shares: sent to each worker once. */
export interface EventSiteShared {
  readonly settings: CatalogContent['settings'];
  readonly assets: readonly string[];
  readonly codegen: string;
  readonly serviceIds: readonly string[];
  readonly protoFiles: readonly ProtoFileModel[];
  readonly saga: readonly string[];
  /** Header HTML of pages one folder deep (`events/…`), by section. */
  readonly chrome: Chrome;
}

/** A batch of event pages with exactly the parts of the site model their pages read. */
export interface EventBatch {
  readonly events: readonly EventModel[];
  readonly tags: readonly (readonly string[])[];
  readonly eventByType: ReadonlyMap<string, EventModel>;
  readonly subscriptions: ReadonlyMap<string, readonly Subscription[]>;
  readonly producers: ReadonlyMap<string, readonly string[]>;
  readonly sendOperation: ReadonlyMap<string, OperationModel>;
  readonly versions: ReadonlyMap<string, readonly EventModel[]>;
  readonly diffTo: ReadonlyMap<string, VersionDiff>;
}

export function eventSiteShared(site: SiteModel, chrome: Chrome): EventSiteShared {
  return {
    settings: site.content.settings,
    assets: site.content.assets,
    codegen: site.registry.config.output.codegen,
    serviceIds: site.registry.services.map((s) => s.id),
    protoFiles: site.registry.protoFiles,
    saga: site.saga,
    chrome,
  };
}

/**
 * The event as a worker needs it: without the payload's JSON Schema and protobuf descriptor (no page shows
 * them) and without the proto source when it is the registry's copy of the file (the worker has those).
 */
function lean(e: EventModel, protos: ProtoSources): EventModel {
  const p = e.payload;
  let payload: PayloadModel;
  if (p.kind === 'protobuf') {
    const { jsonSchema: _schema, descriptor: _descriptor, protoSource, ...rest } = p;
    payload = (
      protos.file(p.protoFile)?.source === protoSource ? rest : { ...rest, protoSource }
    ) as PayloadModel;
  } else {
    const { jsonSchema: _schema, ...rest } = p;
    payload = rest as PayloadModel;
  }
  return { ...e, payload };
}

export function eventBatch(site: SiteModel, events: readonly EventModel[], protos: ProtoSources): EventBatch {
  const leanEvents = new Map<string, EventModel>();
  const leanOf = (e: EventModel): EventModel => {
    let l = leanEvents.get(e.type);
    if (!l) {
      l = lean(e, protos);
      leanEvents.set(e.type, l);
    }
    return l;
  };
  const subscriptions = new Map<string, readonly Subscription[]>();
  const producers = new Map<string, readonly string[]>();
  const sendOperation = new Map<string, OperationModel>();
  const versions = new Map<string, readonly EventModel[]>();
  const diffTo = new Map<string, VersionDiff>();
  const related = (type: string): void => {
    const r = site.eventByType.get(type);
    if (r) leanOf(r);
  };
  for (const e of events) {
    leanOf(e);
    const subs = site.subscriptions.get(e.type);
    if (subs)
      subscriptions.set(
        e.type,
        subs.map((s) => ({ ...s, event: leanOf(s.event) })),
      );
    const p = site.producers.get(e.type);
    if (p) producers.set(e.type, p);
    const op = site.sendOperation.get(e.type);
    if (op) sendOperation.set(e.type, op);
    const key = versionKey(e);
    const vs = site.versions.get(key);
    if (vs && !versions.has(key)) {
      versions.set(key, vs.map(leanOf));
      for (const v of vs) {
        const diff = site.diffTo.get(v.type);
        if (diff) {
          diffTo.set(v.type, diff);
          related(diff.from);
        }
      }
    }
    if (e.replyType) related(e.replyType);
  }
  return {
    events: events.map(leanOf),
    tags: events.map((e) => eventTags(e, site.serviceById)),
    eventByType: leanEvents,
    subscriptions,
    producers,
    sendOperation,
    versions,
    diffTo,
  };
}

/** Restores what `lean` dropped that the page reads: the proto source. */
function restore(e: EventModel, protos: ProtoSources): EventModel {
  const p = e.payload;
  if (p.kind !== 'protobuf' || typeof p.protoSource === 'string') return e;
  return { ...e, payload: { ...p, protoSource: protos.file(p.protoFile)?.source ?? '' } } as EventModel;
}

/**
 * A site model for rendering one batch of event pages: the maps hold that batch's entries, and the rest is
 * what the event page and its layout read (the registry's counts, settings, saga, which services exist).
 * Event pages read nothing else; the build test compares a worker build with a single-threaded one byte for
 * byte, so a page that starts reading more shows up there.
 */
export function batchSite(
  shared: EventSiteShared,
  batch: EventBatch,
  protos: ProtoSources,
): {
  site: SiteModel;
  events: readonly EventModel[];
} {
  const eventByType = new Map<string, EventModel>();
  for (const [type, e] of batch.eventByType) eventByType.set(type, restore(e, protos));
  const events = batch.events.map((e) => eventByType.get(e.type) as EventModel);
  const services = shared.serviceIds.map((id) => ({ id }) as ServiceModel);
  const registry = {
    config: { output: { codegen: shared.codegen } },
    services,
    events,
    operations: [],
    streams: [],
    protoFiles: shared.protoFiles,
  } as unknown as Registry;
  const content: CatalogContent = {
    settings: shared.settings,
    assets: shared.assets,
    domains: new Map(),
    teams: new Map(),
    warnings: [],
  };
  const site: SiteModel = {
    registry,
    content,
    inputs: { contracts: [], canIDeploy: [], versionDiffs: [], warnings: [] },
    contexts: [],
    contextByName: new Map(),
    serviceById: new Map(services.map((s) => [s.id, s])),
    eventByType,
    sends: new Map(),
    receives: new Map(),
    producers: batch.producers,
    subscriptions: batch.subscriptions,
    sendOperation: batch.sendOperation,
    versions: new Map([...batch.versions].map(([k, vs]) => [k, vs.map((v) => eventByType.get(v.type) ?? v)])),
    diffTo: batch.diffTo,
    teams: new Map(),
    saga: shared.saga,
    canIDeploy: new Map(),
    health: { verified: 0, failing: 0, unverified: 0, 'no-contract': 0 },
  };
  return { site, events };
}
