// Commands and queries: core NATS request/reply with the same envelope and codecs as events, never
// stored in a stream. A failing handler answers with an error reply (headers `eventkit-error*`), so the
// caller gets a RequestFailedError at once instead of waiting for its timeout.

import type { Span } from '@opentelemetry/api';
import type { EventDescriptor, PublishOptions } from './api.ts';
import { type EventScope, runInEventScope } from './context.ts';
import { createEnvelope, readEnvelope } from './envelope.ts';
import { errorText, isPermanentError, RequestFailedError, RuntimeUsageError } from './errors.ts';
import { type Logger, silentLogger } from './middleware.ts';
import { endSpan, startRequestSpan, startRespondSpan, traceparentOf, withSpan } from './telemetry.ts';
import type { Subscription, Transport } from './transport.ts';

export const ERROR_HEADERS = {
  error: 'eventkit-error',
  /** `permanent` (bad request, do not retry) or `transient`. */
  kind: 'eventkit-error-kind',
} as const;

/** A request as its handler sees it. */
export interface IncomingRequest<T> {
  readonly payload: T;
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly source: string;
  readonly correlationId: string;
  readonly traceparent?: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type RequestHandler<Req, Rep> = (request: IncomingRequest<Req>) => Promise<Rep>;

export interface RespondOptions {
  /** Queue group: instances in one group share requests. Default the service id. */
  readonly queue?: string;
}

export interface Responder {
  respond<Req, Rep>(
    request: EventDescriptor<Req>,
    reply: EventDescriptor<Rep>,
    handler: RequestHandler<Req, Rep>,
    options?: RespondOptions,
  ): Responder;
  start(): Promise<void>;
  /** Stop taking requests; requests already being handled still get their reply. */
  drain(): Promise<void>;
}

export interface RequestOptions extends Omit<PublishOptions, 'params'> {
  readonly params?: Readonly<Record<string, string>>;
  /** Default 5 s. */
  readonly timeoutMs?: number;
}

export interface Requester {
  request<Req, Rep>(
    request: EventDescriptor<Req>,
    reply: EventDescriptor<Rep>,
    payload: Req,
    options?: RequestOptions,
  ): Promise<Rep>;
}

export function createResponder(options: {
  readonly transport: Transport;
  readonly service: string;
  readonly logger?: Logger;
}): Responder {
  const { transport, service } = options;
  const logger = options.logger ?? silentLogger;
  const routes: (() => Promise<Subscription>)[] = [];
  const subscriptions: Subscription[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let started = false;

  const responder: Responder = {
    respond(requestDescriptor, replyDescriptor, handler, respondOptions) {
      if (started) throw new RuntimeUsageError('register responders before responder.start()');
      if (requestDescriptor.subjectPattern.includes('{'))
        throw new RuntimeUsageError(
          `${requestDescriptor.type}: request subjects with parameters are not supported`,
        );
      routes.push(() =>
        transport.serve(requestDescriptor.subjectPattern, respondOptions?.queue ?? service, (msg) => {
          const work = (async () => {
            let span: Span | undefined;
            try {
              const request = readEnvelope(requestDescriptor, msg);
              span = startRespondSpan(request, respondOptions?.queue ?? service);
              // A recording SERVER span is what events and replies created by the handler continue.
              const recording = span.isRecording();
              const traceparent = recording ? traceparentOf(span) : request.traceparent;
              const scope: EventScope = {
                eventId: request.id,
                correlationId: request.correlationId,
                ...(traceparent ? { traceparent } : {}),
                ...(recording ? { spanRecorded: true } : {}),
              };
              const active = span;
              const run = <R>(fn: () => R): R =>
                runInEventScope(scope, recording ? () => withSpan(active, fn) : fn);
              const payload = await run(() =>
                handler({
                  payload: request.payload,
                  id: request.id,
                  type: request.type,
                  subject: request.subject,
                  source: request.source,
                  correlationId: request.correlationId,
                  ...(request.traceparent ? { traceparent: request.traceparent } : {}),
                  headers: request.headers,
                }),
              );
              const reply = run(() => createEnvelope(replyDescriptor, payload, { source: service }));
              endSpan(span);
              return { data: reply.data, headers: reply.headers };
            } catch (error) {
              if (span) endSpan(span, error);
              logger.warn('request failed', { service, subject: msg.subject, error: errorText(error) });
              return {
                data: new Uint8Array(0),
                headers: {
                  [ERROR_HEADERS.error]: errorText(error)
                    .replace(/[\r\n]+/g, ' ')
                    .slice(0, 1024),
                  [ERROR_HEADERS.kind]: isPermanentError(error) ? 'permanent' : 'transient',
                },
              };
            }
          })();
          inFlight.add(work);
          void work.finally(() => inFlight.delete(work));
          return work;
        }),
      );
      return responder;
    },
    async start() {
      if (started) throw new RuntimeUsageError('responder already started');
      started = true;
      for (const route of routes) subscriptions.push(await route());
    },
    async drain() {
      for (const s of subscriptions.splice(0)) await s.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
  return responder;
}

export function createRequester(options: {
  readonly transport: Transport;
  readonly source: string;
  readonly timeoutMs?: number;
}): Requester {
  return {
    async request(requestDescriptor, replyDescriptor, payload, requestOptions) {
      const source = requestOptions?.source || options.source;
      const span = startRequestSpan(
        requestDescriptor.subjectPattern,
        requestDescriptor.type,
        source,
        requestOptions?.traceparent,
      );
      try {
        const msg = createEnvelope(requestDescriptor, payload, {
          ...requestOptions,
          source,
          ...(span.isRecording() ? { traceparent: traceparentOf(span) } : {}),
        });
        const reply = await options.transport.request(
          { subject: msg.subject, data: msg.data, headers: msg.headers },
          { timeoutMs: requestOptions?.timeoutMs ?? options.timeoutMs ?? 5_000 },
        );
        const error = reply.headers[ERROR_HEADERS.error];
        if (error !== undefined)
          throw new RequestFailedError(msg.subject, error, reply.headers[ERROR_HEADERS.kind] === 'permanent');
        const answer = readEnvelope(replyDescriptor, reply).payload;
        endSpan(span);
        return answer;
      } catch (error) {
        endSpan(span, error);
        throw error;
      }
    },
  };
}
