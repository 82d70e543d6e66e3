// events.ts: one descriptor per message: the data the runtime needs to publish and consume it.
// descriptor.ts: the protobufjs descriptor the codecs are built from.
import { byKey, doc, header, json, key, namedImport, paragraphs, safe, str, typeImports } from './text.js';

export function renderDescriptor(input) {
  return (
    header(
      input,
      'protobufjs JSON descriptor of every proto payload type this service uses (camelCase field names).',
    ) +
    '// The runtime builds the codecs from it, so no .proto file is needed at run time.\n\n' +
    `export const protoDescriptor: Readonly<Record<string, unknown>> = ${json(input.protoDescriptor)};\n`
  );
}

function paramsInterface(message) {
  const name = `${message.ident}Params`;
  if (message.subjectParameters.length === 0) {
    const what = message.subjectPattern
      ? `\`${safe(message.subjectPattern)}\` has no parameters.`
      : 'A reply has no subject of its own.';
    return `${doc(what)}export type ${name} = Record<string, never>;\n`;
  }
  let out = doc(`Subject parameters of \`${safe(message.subjectPattern)}\`.`);
  out += `export interface ${name} {\n`;
  for (const parameter of message.subjectParameters) {
    const from = parameter.field ? `Defaults to payload field \`${parameter.field}\`.` : undefined;
    out += doc(paragraphs(safe(parameter.description), from), '  ');
    out += `  readonly ${key(parameter.name)}: string;\n`;
  }
  return `${out}}\n`;
}

function subjectBuilder(message) {
  if (message.subjectParameters.length === 0) return `() => ${str(message.subjectPattern)}`;
  const template = message.subjectPattern
    .replace(/[`\\]/g, '\\$&')
    .replace(/\$\{/g, '\\${')
    .replace(/\{([^}]+)\}/g, (_, name) =>
      /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `\${params.${name}}` : `\${params[${str(name)}]}`,
    );
  return `(params) => \`${template}\``;
}

export function messageDoc(message, input) {
  const words = input?.service.words;
  const where = words
    ? `${words.broker} ${words.address} \`${safe(message.subjectPattern)}\` (not NATS: eventkit generates payload types, codecs and examples only).`
    : !message.subjectPattern
      ? "Sent to the requester's reply inbox (core NATS, never stored in a stream)."
      : message.stream
        ? `Subject \`${safe(message.subjectPattern)}\` in stream \`${message.stream}\`.`
        : `Subject \`${safe(message.subjectPattern)}\` (request/reply, never stored in a stream).`;
  const kind = message.isReply ? 'reply' : message.kind;
  const reply = message.replyIdent ? `Answered with {@link ${message.replyIdent}}.` : undefined;
  return paragraphs(
    `\`${message.type}\` (${kind})${message.title ? ` — ${safe(message.title)}` : ''}`,
    safe(message.summary),
    safe(message.description),
    where,
    reply,
  );
}

/** A message with a runtime codec gets a descriptor; others (Avro) get types and examples only. */
export const hasCodec = (message) => message.codec.kind !== 'none';

function payloadOnlyNote(messages) {
  if (messages.length === 0) return '';
  const lines = messages.map(
    (message) =>
      `- \`${message.ident}\` (\`${message.type}\`, ${message.codec.format}): ${safe(message.codec.reason)}.`,
  );
  return `\n${doc(`No descriptor for these messages:\n${lines.join('\n')}`)}`;
}

export function renderEvents(input) {
  const messages = input.messages.filter(hasCodec);
  const usesProto = messages.some((message) => message.codec.kind === 'protobuf');
  const usesJson = messages.some((message) => message.codec.kind === 'json');
  let out = header(input, `Descriptors of every message service \`${input.service.id}\` sends or receives.`);
  out += namedImport(['EventDescriptor'], input.runtime.api, true);
  out += namedImport(
    [...(usesProto ? ['protobufCodec'] : []), ...(usesJson ? ['jsonCodec'] : [])],
    input.runtime.index,
  );
  if (usesProto) out += `import { protoDescriptor } from './descriptor.ts';\n`;
  out += typeImports(messages);
  out += '\n';
  out += doc('A generated descriptor: the runtime `EventDescriptor` plus a typed subject builder.');
  out += 'export interface GeneratedDescriptor<T, P> extends EventDescriptor<T> {\n';
  out += doc('The subject for the given parameter values.', '  ');
  out += '  subject(params: P): string;\n}\n';
  for (const message of [...messages].sort(byKey((m) => m.ident))) {
    out += `\n${paramsInterface(message)}\n`;
    out += doc(messageDoc(message, input), '', message.deprecated ? ['@deprecated'] : []);
    out += `export const ${message.ident}: GeneratedDescriptor<${message.tsType}, ${message.ident}Params> = {\n`;
    out += `  type: ${str(message.type)},\n`;
    out += `  kind: ${str(message.kind)},\n`;
    out += `  context: ${str(message.context)},\n`;
    out += `  name: ${str(message.name)},\n`;
    out += `  major: ${message.major},\n`;
    out += `  subjectPattern: ${str(message.subjectPattern)},\n`;
    out += `  subjectFilter: ${str(message.subjectFilter)},\n`;
    if (message.stream) out += `  stream: ${str(message.stream)},\n`;
    if (message.producer) out += `  producer: ${str(message.producer)},\n`;
    if (message.partitionKey) out += `  partitionKey: ${json(message.partitionKey)},\n`;
    out +=
      message.codec.kind === 'protobuf'
        ? `  codec: protobufCodec<${message.tsType}>(protoDescriptor, ${str(message.codec.messageType)}),\n`
        : `  codec: jsonCodec<${message.tsType}>(${json(message.codec.schema)}, ${str(message.type)}),\n`;
    out += `  subject: ${subjectBuilder(message)},\n`;
    out += '};\n';
  }
  out += payloadOnlyNote(input.messages.filter((message) => !hasCodec(message)));
  out += `\n${doc('Every descriptor of this service, by name.')}`;
  out += `export const descriptors = {\n${messages.map((message) => `  ${message.ident},\n`).join('')}} as const;\n`;
  return out;
}
