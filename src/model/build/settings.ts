// Stream and consumer settings from `x-eventkit-stream` / `x-eventkit-consumer`, with defaults applied.
import { parseDuration } from '../durations.ts';
import { defaultConsumerSettings } from '../names.ts';
import type { ConsumerSettings, StreamSettings } from '../types.ts';

/** Stream defaults. maxBytes / maxMsgs / maxAgeMs of 0 mean unlimited (`-1` in a document is stored as 0). */
export const defaultStreamSettings: StreamSettings = {
  retention: 'limits',
  storage: 'file',
  maxAgeMs: 7 * 86_400_000,
  maxBytes: 0,
  maxMsgs: 0,
  duplicateWindowMs: 2 * 60_000,
  replicas: 1,
  // An event log is evidence: nobody deletes or purges it through the API unless the document says so.
  denyDelete: true,
  denyPurge: true,
};

export { defaultConsumerSettings };

/** A problem with one key of an extension object (the caller locates it). */
export interface SettingProblem {
  readonly key: string;
  readonly message: string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function limit(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) return undefined;
  return value === -1 ? 0 : value;
}

export function streamSettings(
  raw: unknown,
  problems: SettingProblem[],
): { settings: StreamSettings; name?: string; description?: string } {
  if (raw === undefined) return { settings: defaultStreamSettings };
  if (!isObject(raw)) {
    problems.push({ key: '', message: 'x-eventkit-stream must be an object' });
    return { settings: defaultStreamSettings };
  }
  const s: { -readonly [K in keyof StreamSettings]: StreamSettings[K] } = { ...defaultStreamSettings };
  const known = [
    'name',
    'description',
    'retention',
    'storage',
    'maxAge',
    'maxBytes',
    'maxMsgs',
    'duplicateWindow',
    'replicas',
    'denyDelete',
    'denyPurge',
  ];
  for (const key of Object.keys(raw))
    if (!known.includes(key)) problems.push({ key, message: `unknown x-eventkit-stream setting "${key}"` });
  if (raw.retention !== undefined) {
    if (raw.retention === 'limits' || raw.retention === 'interest' || raw.retention === 'workqueue')
      s.retention = raw.retention;
    else problems.push({ key: 'retention', message: 'retention must be limits, interest or workqueue' });
  }
  if (raw.storage !== undefined) {
    if (raw.storage === 'file' || raw.storage === 'memory') s.storage = raw.storage;
    else problems.push({ key: 'storage', message: 'storage must be file or memory' });
  }
  const duration = (key: 'maxAge' | 'duplicateWindow', target: 'maxAgeMs' | 'duplicateWindowMs') => {
    if (raw[key] === undefined) return;
    const ms = raw[key] === -1 || raw[key] === 0 ? 0 : parseDuration(raw[key]);
    if (ms === undefined)
      problems.push({ key, message: `${key} must be a duration like 30s, 2m, 7d (or -1 for unlimited)` });
    else s[target] = ms;
  };
  duration('maxAge', 'maxAgeMs');
  duration('duplicateWindow', 'duplicateWindowMs');
  for (const [key, target] of [
    ['maxBytes', 'maxBytes'],
    ['maxMsgs', 'maxMsgs'],
  ] as const) {
    if (raw[key] === undefined) continue;
    const v = limit(raw[key]);
    if (v === undefined)
      problems.push({ key, message: `${key} must be an integer ≥ 0, or -1 for unlimited` });
    else s[target] = v;
  }
  if (raw.replicas !== undefined) {
    if (
      typeof raw.replicas === 'number' &&
      Number.isInteger(raw.replicas) &&
      raw.replicas >= 1 &&
      raw.replicas <= 5
    )
      s.replicas = raw.replicas;
    else problems.push({ key: 'replicas', message: 'replicas must be an integer from 1 to 5' });
  }
  for (const key of ['denyDelete', 'denyPurge'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] === 'boolean') s[key] = raw[key];
    else problems.push({ key, message: `${key} must be true or false` });
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  if (raw.name !== undefined && (!name || !/^[A-Za-z0-9_-]+$/.test(name)))
    problems.push({ key: 'name', message: 'stream name must be letters, digits, - or _' });
  return {
    settings: s,
    ...(name && /^[A-Za-z0-9_-]+$/.test(name) ? { name } : {}),
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
  };
}

export function consumerSettings(
  raw: unknown,
  problems: SettingProblem[],
): { settings: ConsumerSettings; durable?: string } {
  if (raw === undefined) return { settings: defaultConsumerSettings };
  if (!isObject(raw)) {
    problems.push({ key: '', message: 'x-eventkit-consumer must be an object' });
    return { settings: defaultConsumerSettings };
  }
  const c: { -readonly [K in keyof ConsumerSettings]: ConsumerSettings[K] } = { ...defaultConsumerSettings };
  const known = ['durable', 'ackWait', 'maxDeliver', 'backoff', 'maxAckPending', 'ordered', 'deliverPolicy'];
  for (const key of Object.keys(raw))
    if (!known.includes(key)) problems.push({ key, message: `unknown x-eventkit-consumer setting "${key}"` });
  if (raw.ackWait !== undefined) {
    const ms = parseDuration(raw.ackWait);
    if (ms === undefined || ms === 0)
      problems.push({ key: 'ackWait', message: 'ackWait must be a duration like 30s' });
    else c.ackWaitMs = ms;
  }
  const positiveInt = (key: 'maxDeliver' | 'maxAckPending') => {
    if (raw[key] === undefined) return;
    const v = raw[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) c[key] = v;
    else problems.push({ key, message: `${key} must be an integer ≥ 1` });
  };
  positiveInt('maxDeliver');
  positiveInt('maxAckPending');
  if (raw.backoff !== undefined) {
    const list = Array.isArray(raw.backoff) ? raw.backoff.map(parseDuration) : [undefined];
    if (list.some((v) => v === undefined))
      problems.push({ key: 'backoff', message: 'backoff must be a list of durations like [1s, 5s, 30s]' });
    else c.backoffMs = list as number[];
  }
  if (c.backoffMs.length >= c.maxDeliver) {
    problems.push({
      key: raw.backoff !== undefined ? 'backoff' : 'maxDeliver',
      message: `backoff has ${c.backoffMs.length} delays but maxDeliver is ${c.maxDeliver}; JetStream needs fewer delays than deliveries`,
    });
    c.backoffMs = c.backoffMs.slice(0, Math.max(c.maxDeliver - 1, 0));
  }
  if (raw.ordered !== undefined) {
    if (typeof raw.ordered === 'boolean') c.ordered = raw.ordered;
    else problems.push({ key: 'ordered', message: 'ordered must be true or false' });
  }
  const policy = raw.deliverPolicy;
  if (policy !== undefined) {
    if (policy === 'all' || policy === 'new') c.deliverPolicy = policy;
    else if (
      isObject(policy) &&
      typeof policy.startSequence === 'number' &&
      Number.isInteger(policy.startSequence) &&
      policy.startSequence >= 1
    )
      c.deliverPolicy = { startSequence: policy.startSequence };
    else if (
      isObject(policy) &&
      typeof policy.startTime === 'string' &&
      !Number.isNaN(Date.parse(policy.startTime))
    )
      c.deliverPolicy = { startTime: new Date(policy.startTime).toISOString() };
    else
      problems.push({
        key: 'deliverPolicy',
        message: 'deliverPolicy must be all, new, { startSequence: N } or { startTime: ISO-8601 }',
      });
  }
  let durable: string | undefined;
  if (raw.durable !== undefined) {
    if (typeof raw.durable === 'string' && /^[A-Za-z0-9_-]+$/.test(raw.durable)) durable = raw.durable;
    else
      problems.push({
        key: 'durable',
        message: 'durable must be letters, digits, - or _ (no dots, spaces or wildcards)',
      });
  }
  return { settings: c, ...(durable ? { durable } : {}) };
}
