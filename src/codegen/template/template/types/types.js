// types/<package>.ts: one file per proto package the service's payloads use.
import { File } from '@asyncapi/generator-react-sdk';
import { loadInput } from '../../lib/input.js';
import { renderService } from '../../lib/render-service.js';

export default function ({ asyncapi, params }) {
  const input = loadInput(asyncapi, params);
  return renderService(input)
    .filter((file) => file.path.startsWith('types/'))
    .map((file) => <File name={file.path.slice('types/'.length)}>{file.content}</File>);
}
