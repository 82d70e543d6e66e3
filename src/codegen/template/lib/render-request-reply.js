// request-reply.ts: typed clients (send side) and responders (receive side) for commands and queries.
import { messageIndex } from './input.js';
import { receivesRequests, sendsRequests } from './operations.js';
import { runtime } from './runtime-names.js';
import { doc, header, namedImport, paragraphs, safe, str, typeImports } from './text.js';

export function renderRequestReply(input) {
  const clientOps = sendsRequests(input);
  const responderOps = receivesRequests(input);
  if (clientOps.length === 0 && responderOps.length === 0) return undefined;
  const messages = messageIndex(input);
  const pair = (op) => ({ request: messages.get(op.message), reply: messages.get(op.reply) });
  const all = [...clientOps, ...responderOps].map(pair);
  const { pascal, id } = input.service;
  let out = header(input, `Typed request/reply for the commands and queries of service \`${id}\`.`);
  const runtimeTypes = [
    ...(clientOps.length > 0 ? [runtime.requesterType, runtime.requestOptionsType] : []),
    ...(responderOps.length > 0 ? [runtime.responderType, runtime.requestHandlerType] : []),
  ];
  out += namedImport(runtimeTypes, input.runtime.index, true);
  out += namedImport(
    all.flatMap(({ request, reply }) => [request.ident, reply.ident]),
    './events.ts',
  );
  out += typeImports(all.flatMap(({ request, reply }) => [request, reply]));
  const opDoc = (op, request, reply, verb) =>
    doc(
      paragraphs(
        verb === 'sends'
          ? `\`${op.operationId}\`: sends \`${request.type}\` to \`${safe(request.subjectPattern)}\` and resolves with the \`${reply.type}\` reply.`
          : `\`${op.operationId}\`: answers \`${request.type}\` on \`${safe(request.subjectPattern)}\` with \`${reply.type}\`.`,
        safe(op.summary),
        safe(op.description),
      ),
      '  ',
    );

  if (clientOps.length > 0) {
    out += `\n${doc(`The commands and queries service \`${id}\` sends: one method per request/reply send operation.`)}`;
    out += `export interface ${pascal}Client {\n`;
    for (const op of clientOps) {
      const { request, reply } = pair(op);
      out += opDoc(op, request, reply, 'sends');
      out += `  ${op.member}(request: ${request.tsType}, options?: ${runtime.requestOptionsType}): Promise<${reply.tsType}>;\n`;
    }
    out += '}\n\n';
    out += doc(
      'Wraps a runtime requester in the typed request/reply operations (core NATS, never a stream).',
    );
    out += `export function create${pascal}Client(requester: ${runtime.requesterType}): ${pascal}Client {\n  return {\n`;
    for (const op of clientOps) {
      const { request, reply } = pair(op);
      out += `    ${op.member}: (request, options) => requester.${runtime.request}(${request.ident}, ${reply.ident}, request, options),\n`;
    }
    out += '  };\n}\n';
  }
  if (responderOps.length > 0) {
    out += `\n${doc(`One responder per request/reply receive operation of service \`${id}\`; every one is required.`)}`;
    out += `export interface ${pascal}Responders {\n`;
    for (const op of responderOps) {
      const { request, reply } = pair(op);
      out += opDoc(op, request, reply, 'answers');
      out += `  readonly ${op.member}: ${runtime.requestHandlerType}<${request.tsType}, ${reply.tsType}>;\n`;
    }
    out += '}\n\n';
    out += doc(`Registers every responder of service \`${id}\` (core NATS request/reply, never a stream).`);
    out += `export function register${pascal}Responders(responder: ${runtime.responderType}, handlers: ${pascal}Responders): void {\n`;
    for (const op of responderOps) {
      const { request, reply } = pair(op);
      const options = op.queue ? `, { queue: ${str(op.queue)} }` : '';
      out += `  responder.${runtime.respond}(${request.ident}, ${reply.ident}, handlers.${op.member}${options});\n`;
    }
    out += '}\n';
  }
  return out;
}
