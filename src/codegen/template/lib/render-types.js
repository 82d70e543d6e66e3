// types/<package>.ts: the payload types of one proto package, in the runtime codec's value shape.
import { doc, header, key } from './text.js';

export function renderTypeModule(input, module) {
  const sources = module.sources.length > 0 ? ` (${module.sources.join(', ')})` : '';
  let out = header(input, `Payload types of package ${module.package}${sources}.`);
  for (const imported of module.imports) {
    out += `import type * as ${imported.namespace} from './${imported.fileName}';\n`;
  }
  for (const declaration of module.declarations) {
    out += '\n';
    const tags = declaration.deprecated ? ['@deprecated'] : [];
    out += doc(declaration.doc ?? `\`${declaration.fullName}\``, '', tags);
    if (declaration.kind === 'enum') {
      // One line when it fits and no value has a comment (as biome and prettier lay it out).
      const oneLine = `export type ${declaration.name} = ${declaration.values.map((value) => `'${value.name}'`).join(' | ')};`;
      if (declaration.values.every((value) => !value.doc) && oneLine.length <= 110) out += `${oneLine}\n`;
      else {
        out += `export type ${declaration.name} =\n`;
        out += declaration.values.map((value) => `${doc(value.doc, '  ')}  | '${value.name}'`).join('\n');
        out += ';\n';
      }
    } else if (declaration.kind === 'alias') {
      out += `export type ${declaration.name} = ${declaration.type};\n`;
    } else {
      out += `export interface ${declaration.name} {\n`;
      for (const field of declaration.fields) {
        out += doc(field.doc, '  ', field.deprecated ? ['@deprecated'] : []);
        out += `  ${key(field.name)}${field.optional ? '?' : ''}: ${field.type};\n`;
      }
      out += '}\n';
    }
  }
  return out;
}
