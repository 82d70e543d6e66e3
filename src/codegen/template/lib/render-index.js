// index.ts: the public surface of the generated folder.
import { header } from './text.js';

/** `files`: the generated file names (besides index.ts and types/) that exist for this service. */
export function renderIndex(input, files) {
  const words = input.service.words;
  let out = header(
    input,
    words
      ? `Public surface of the generated code of service \`${input.service.id}\`: payload types, codecs and examples only — it speaks ${words.broker} (${input.service.protocol}), and eventkit's publishers and handlers run on NATS.`
      : `Public surface of the generated code of service \`${input.service.id}\`.`,
  );
  if (files.includes('descriptor.ts')) out += "export { protoDescriptor } from './descriptor.ts';\n";
  out += "export * from './events.ts';\n";
  if (files.includes('examples.ts')) out += "export { examples } from './examples.ts';\n";
  for (const file of ['handlers.ts', 'publisher.ts', 'request-reply.ts']) {
    if (files.includes(file)) out += `export * from './${file}';\n`;
  }
  for (const module of input.typeModules) {
    out += `export * as ${module.namespace} from './types/${module.fileName}';\n`;
  }
  return out;
}
