// Least privilege from the spec: what each NATS user may publish and subscribe to, derived from the
// registry alone. A service sends exactly its send operations, pulls and acks exactly its own durables,
// answers exactly the requests it receives, and reads replies only on its own inbox prefix. Names
// (subjects, streams, durables, dead-letter subjects) come from the registry, provisioning and the
// runtime's dead-letter module — never re-derived here.
import type { Registry } from '../model/types.ts';
import { DEADLETTER_STREAM, deadLetterSubjectFilter } from '../runtime/dead-letter.ts';
import { provisioningSpec } from '../runtime/provisioning.ts';
import { AuthSpecError } from './errors.ts';
import {
  consumerAckSubject,
  consumerInfoSubject,
  consumerNextSubject,
  JETSTREAM_API_ALL,
  JETSTREAM_API_READ_ONLY,
  streamInfoSubject,
} from './jetstream-api.ts';

/** One subject a user may use, and why (shown by the catalog and `eventkit auth --json`). */
export interface Grant {
  readonly subject: string;
  readonly why: string;
}

export type UserRole = 'service' | 'clients' | 'admin' | 'monitor';

export interface UserPermissions {
  /** User name: the service id, or one of {@link SPECIAL_USERS}. */
  readonly name: string;
  readonly role: UserRole;
  /** Reply subjects of this user's connections start with this (`NATS_INBOX_PREFIX`). */
  readonly inboxPrefix: string;
  readonly publish: readonly Grant[];
  readonly subscribe: readonly Grant[];
  /** May publish one reply to each request it received (nats-server `allow_responses`). */
  readonly allowResponses: boolean;
}

/** Users that are not services. Their names contain no dot, so they never clash with a subject token. */
export const SPECIAL_USERS = {
  admin: 'eventkit-admin',
  monitor: 'eventkit-monitor',
  clients: 'eventkit-clients',
} as const;

/** Reply-subject prefix of one user: `_INBOX_<user>` (nats.js' default is `_INBOX`, shared by everyone). */
export function inboxPrefixOf(user: string): string {
  return `_INBOX_${user}`;
}

function inboxGrant(user: string): Grant {
  return {
    subject: `${inboxPrefixOf(user)}.>`,
    why: 'replies to its own requests, PubAcks and pulled messages',
  };
}

/** Keep the first grant per subject (the first reason is the most specific one), sorted by subject. */
function unique(grants: readonly Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const grant of grants) if (!seen.has(grant.subject)) seen.set(grant.subject, grant);
  return [...seen.values()].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

/** The permissions of one service's user (what the catalog shows on its page). */
export function servicePermissions(registry: Registry, service: string): UserPermissions {
  return serviceUser(registry, service);
}

function serviceUser(registry: Registry, service: string): UserPermissions {
  const events = new Map(registry.events.map((e) => [e.type, e]));
  const publish: Grant[] = [];
  const subscribe: Grant[] = [inboxGrant(service)];
  let answers = false;
  for (const op of registry.operations) {
    if (op.service !== service) continue;
    for (const type of op.eventTypes) {
      const event = events.get(type);
      if (!event?.subjectFilter) continue;
      if (op.action === 'send')
        publish.push({
          subject: event.subjectFilter,
          why: op.requestReply ? `requests ${type} (${op.id})` : `sends ${type} (${op.id})`,
        });
      else if (op.requestReply) {
        answers = true;
        subscribe.push({ subject: event.subjectFilter, why: `answers ${type} (${op.id})` });
      }
    }
  }
  const durables = provisioningSpec(registry).consumers.filter((c) => c.service === service);
  for (const { spec, operation, eventType } of durables) {
    const why = `durable ${spec.durable} on ${spec.stream} (${operation}, ${eventType})`;
    publish.push(
      { subject: consumerNextSubject(spec.stream, spec.durable), why: `pull from ${why}` },
      { subject: consumerAckSubject(spec.stream, spec.durable), why: `ack, nak, term and working of ${why}` },
      { subject: consumerInfoSubject(spec.stream, spec.durable), why: `check ${why}` },
    );
  }
  if (durables.length > 0)
    publish.push(
      { subject: deadLetterSubjectFilter(service), why: 'dead-letter what its consumers give up on' },
      { subject: streamInfoSubject(DEADLETTER_STREAM), why: 'check the dead-letter stream exists' },
    );
  return {
    name: service,
    role: 'service',
    inboxPrefix: inboxPrefixOf(service),
    publish: unique(publish),
    subscribe: unique(subscribe),
    allowResponses: answers,
  };
}

/** Callers outside the registry (a web front end, the demo's driver): requests no registry service sends. */
function clientsUser(registry: Registry): UserPermissions {
  const name = SPECIAL_USERS.clients;
  const sent = new Set(registry.operations.filter((o) => o.action === 'send').flatMap((o) => o.eventTypes));
  const publish: Grant[] = [];
  for (const op of registry.operations) {
    if (op.action !== 'receive' || !op.requestReply) continue;
    for (const type of op.eventTypes) {
      const event = registry.events.find((e) => e.type === type);
      if (!event?.subjectFilter || sent.has(type)) continue;
      publish.push({
        subject: event.subjectFilter,
        why: `requests ${type} (answered by ${op.service}, sent by no service)`,
      });
    }
  }
  return {
    name,
    role: 'clients',
    inboxPrefix: inboxPrefixOf(name),
    publish: unique(publish),
    subscribe: [inboxGrant(name)],
    allowResponses: false,
  };
}

function adminUser(): UserPermissions {
  const name = SPECIAL_USERS.admin;
  return {
    name,
    role: 'admin',
    inboxPrefix: inboxPrefixOf(name),
    publish: [
      {
        subject: JETSTREAM_API_ALL,
        why: 'create, update and inspect streams and consumers (eventkit provision)',
      },
    ],
    subscribe: [inboxGrant(name)],
    allowResponses: false,
  };
}

function monitorUser(registry: Registry): UserPermissions {
  const name = SPECIAL_USERS.monitor;
  const streamSubjects = provisioningSpec(registry).streams.flatMap((s) =>
    s.subjects.map((subject) => ({ subject, why: `watch traffic on stream ${s.name}` })),
  );
  return {
    name,
    role: 'monitor',
    inboxPrefix: inboxPrefixOf(name),
    publish: JETSTREAM_API_READ_ONLY.map((subject) => ({ subject, why: 'read stream and consumer state' })),
    subscribe: unique([inboxGrant(name), ...streamSubjects]),
    allowResponses: false,
  };
}

/** Every user: one per service (sorted by id), then clients, admin and monitor. */
export function permissionsFromRegistry(registry: Registry): UserPermissions[] {
  const reserved = new Set<string>(Object.values(SPECIAL_USERS));
  for (const service of registry.services) {
    if (reserved.has(service.id))
      throw new AuthSpecError(
        `${service.document.file}: service id "${service.id}" is reserved for a generated user; give the service another x-eventkit-service id`,
      );
    if (!/^[A-Za-z0-9_-]+$/.test(service.id))
      throw new AuthSpecError(
        `${service.document.file}: service id "${service.id}" cannot name a NATS inbox prefix; use letters, digits, - or _`,
      );
  }
  return [
    ...registry.services.map((s) => serviceUser(registry, s.id)),
    clientsUser(registry),
    adminUser(),
    monitorUser(registry),
  ];
}

/** The plain allow lists nats-server takes. */
export function allowLists(user: UserPermissions): { publish: string[]; subscribe: string[] } {
  return {
    publish: user.publish.map((g) => g.subject),
    subscribe: user.subscribe.map((g) => g.subject),
  };
}
