// publisher.ts: typed publishing for the send operations, plus envelope builders for the outbox.
import { messageIndex } from './input.js';
import { sendsEvents } from './operations.js';
import { runtime } from './runtime-names.js';
import { doc, header, namedImport, paragraphs, safe, str, typeImports } from './text.js';

export function renderPublisher(input) {
  const operations = sendsEvents(input);
  if (operations.length === 0) return undefined;
  const messages = messageIndex(input);
  const used = operations.map((op) => messages.get(op.message));
  const { pascal, camel, id } = input.service;
  let out = header(input, `Typed publishing for the send operations of service \`${id}\`.`);
  out += namedImport(['OutboundMessage', 'PublishOptions', 'PublishReceipt'], input.runtime.api, true);
  out += `import { ${runtime.createEnvelope}, type ${runtime.publisherType} } from '${input.runtime.index}';\n`;
  out += namedImport(
    used.flatMap((message) => [message.ident, `type ${message.ident}Params`]),
    './events.ts',
  );
  out += typeImports(used);
  out += '\n';
  out += doc('Publish options without `params`: subject parameters are an argument of their own.');
  out += `export type ${pascal}PublishOptions = Omit<PublishOptions, 'params'>;\n\n`;

  const methodDoc = (op, message, resolves) =>
    doc(
      paragraphs(
        `\`${op.operationId}\`: \`${message.type}\` on \`${safe(message.subjectPattern)}\`.`,
        safe(op.summary),
        safe(op.description),
        resolves,
        'Subject parameters default to the payload fields they name.',
      ),
      '  ',
      message.deprecated ? ['@deprecated'] : [],
    );
  const signature = (op, message, result) =>
    `  ${op.member}(payload: ${message.tsType}, params?: Partial<${message.ident}Params>, options?: ${pascal}PublishOptions): ${result};\n`;

  out += doc(`The events service \`${id}\` publishes: one method per send operation.`);
  out += `export interface ${pascal}Publisher {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += methodDoc(op, message, "Resolves on the stream's PubAck.");
    out += signature(op, message, 'Promise<PublishReceipt>');
  }
  out += '}\n\n';
  out += doc(`The send operations of service \`${id}\` as outbox messages: built, not published.`);
  out += `export interface ${pascal}Envelopes {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += methodDoc(op, message, 'Returns the message for the transactional outbox.');
    out += signature(op, message, 'OutboundMessage');
  }
  out += '}\n\n';
  out += doc('Subject parameters that were given (the runtime takes the others from the payload).');
  out +=
    'function givenParams(params: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {\n';
  out += '  const given: Record<string, string> = {};\n';
  out +=
    '  for (const [name, value] of Object.entries(params ?? {})) if (value !== undefined) given[name] = value;\n';
  out += '  return given;\n}\n\n';
  out += doc(`Wraps a runtime publisher in the typed send operations of service \`${id}\`.`);
  out += `export function create${pascal}Publisher(publisher: ${runtime.publisherType}): ${pascal}Publisher {\n  return {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += `    ${op.member}: (payload, params, options) =>\n`;
    out += `      publisher.${runtime.publish}(${message.ident}, payload, { ...options, params: givenParams(params) }),\n`;
  }
  out += '  };\n}\n\n';
  out += doc(`Envelope builders for the transactional outbox (\`ce-source\` defaults to \`${id}\`).`);
  out += `export const ${camel}Envelopes: ${pascal}Envelopes = {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += `  ${op.member}: (payload, params, options) =>\n`;
    out += `    ${runtime.createEnvelope}(${message.ident}, payload, { source: ${str(id)}, ...options, params: givenParams(params) }),\n`;
  }
  out += '};\n';
  return out;
}
