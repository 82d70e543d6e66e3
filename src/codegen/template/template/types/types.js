// types/<package>.ts: one file per proto package the service's payloads use.
import { File } from '@asyncapi/generator-react-sdk';
import { loadInput } from '../../lib/input.js';
import { renderTypeModule } from '../../lib/render-types.js';

export default function ({ asyncapi, params }) {
  const input = loadInput(asyncapi, params);
  return input.typeModules.map((module) => (
    <File name={module.fileName}>{renderTypeModule(input, module)}</File>
  ));
}
