// types/<package>.ts: one file per proto package the service's payloads use.
import { File } from '@asyncapi/generator-react-sdk';
import { loadInput } from '../../lib/input.js';
import { renderTypeModule } from '../../lib/render-types.js';
import { withImportExtension } from '../../lib/text.js';

export default function ({ asyncapi, params }) {
  const input = loadInput(asyncapi, params);
  return input.typeModules.map((module) => (
    <File name={module.fileName}>{withImportExtension(input, renderTypeModule(input, module))}</File>
  ));
}
