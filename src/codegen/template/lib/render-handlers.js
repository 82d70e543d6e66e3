// handlers.ts: typed handler registration for the receive operations, consumer settings baked in.
import { messageIndex } from './input.js';
import { receivesEvents } from './operations.js';
import { runtime } from './runtime-names.js';
import { doc, header, json, namedImport, paragraphs, safe, typeImports } from './text.js';

export function renderHandlers(input) {
  const operations = receivesEvents(input);
  if (operations.length === 0) return undefined;
  const messages = messageIndex(input);
  const used = operations.map((op) => messages.get(op.message));
  const { pascal, camel, id } = input.service;
  let out = header(input, `Typed handler registration for the receive operations of service \`${id}\`.`);
  out += namedImport(['ConsumerOptions', 'EventHandler'], input.runtime.api, true);
  out += namedImport([runtime.routerType], input.runtime.index, true);
  out += namedImport(
    used.map((message) => message.ident),
    './events.ts',
  );
  out += typeImports(used);
  out += '\n';
  out += doc(`One handler per receive operation of service \`${id}\`; every one is required.`);
  out += `export interface ${pascal}Handlers {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += doc(
      paragraphs(
        `\`${op.operationId}\`: \`${message.type}\` from \`${safe(message.subjectFilter)}\` (durable \`${op.consumer?.durable}\`).`,
        safe(op.summary),
        safe(op.description),
      ),
      '  ',
      message.deprecated ? ['@deprecated'] : [],
    );
    out += `  readonly ${op.member}: EventHandler<${message.tsType}>;\n`;
  }
  out += '}\n\n';
  out += doc('Consumer settings of each receive operation (`x-eventkit-consumer`, defaults applied).');
  out += `export const ${camel}Consumers: { readonly [K in keyof ${pascal}Handlers]: ConsumerOptions } = {\n`;
  for (const op of operations) out += `  ${op.member}: ${json(op.consumer)},\n`;
  out += '};\n\n';
  out += doc(`Registers every handler of service \`${id}\` on the router with its consumer settings.`);
  out += `export function register${pascal}Handlers(router: ${runtime.routerType}, handlers: ${pascal}Handlers): void {\n`;
  for (const [index, op] of operations.entries()) {
    const message = used[index];
    out += `  router.${runtime.routerOn}(${message.ident}, ${camel}Consumers.${op.member}, handlers.${op.member});\n`;
  }
  out += '}\n';
  return out;
}
