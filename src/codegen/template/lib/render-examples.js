// examples.ts: typed example builders from the AsyncAPI examples, for contract tests.
import { byKey, doc, header, json, key, namedImport, safe, typeImports } from './text.js';

export function renderExamples(input) {
  const messages = input.messages
    .filter((message) => message.examples.length > 0)
    .sort(byKey((m) => m.ident));
  if (messages.length === 0) return undefined;
  let out = header(input, 'Example payloads from the AsyncAPI documents, for contract tests.');
  out += namedImport(
    messages.filter((message) => message.codec.kind !== 'none').map((message) => message.ident),
    './events.ts',
  );
  out += typeImports(messages);
  out += '\n';
  const literal = messages.some((message) => message.codec.kind === 'none')
    ? '\nMessages without a runtime codec (Avro) build a typed literal instead, checked by tsc.'
    : '';
  out += doc(
    `Each builder decodes a fresh value from the example's canonical JSON view (through the codec);\n\`overrides\` replace top-level fields. \`default\` is the first example.${literal}`,
  );
  out += 'export const examples = {\n';
  for (const message of messages) {
    out += `  ${message.ident}: {\n`;
    for (const example of message.examples) {
      const text = safe(example.summary) ?? `Example \`${safe(example.name)}\` of \`${message.type}\`.`;
      out += doc(
        message.exampleOverrides === false
          ? `${text}\nThe payload is not a plain object (a union or a scalar), so there are no overrides.`
          : text,
        '    ',
      );
      if (message.codec.kind === 'none') {
        // No runtime codec (Avro): the example is a typed literal, checked by tsc against the payload type.
        const value = `const value: ${message.tsType} = ${json(example.payload)};`;
        out +=
          message.exampleOverrides === false
            ? `    ${key(example.key)}: (): ${message.tsType} => {\n      ${value}\n      return value;\n    },\n`
            : `    ${key(example.key)}: (overrides?: Partial<${message.tsType}>): ${message.tsType} => {\n      ${value}\n      return { ...value, ...overrides };\n    },\n`;
        continue;
      }
      if (message.exampleOverrides === false) {
        // A union or scalar payload cannot be spread with `Partial<T>` overrides.
        out += `    ${key(example.key)}: (): ${message.tsType} =>\n`;
        out += `      ${message.ident}.codec.fromJson(${json(example.payload)}),\n`;
        continue;
      }
      out += `    ${key(example.key)}: (overrides?: Partial<${message.tsType}>): ${message.tsType} => ({\n`;
      out += `      ...${message.ident}.codec.fromJson(${json(example.payload)}),\n`;
      out += '      ...overrides,\n    }),\n';
    }
    out += '  },\n';
  }
  out += '} as const;\n';
  return out;
}
