// Every generated file of the service except its payload types (see types/types.js).
import { File } from '@asyncapi/generator-react-sdk';
import { loadInput } from '../lib/input.js';
import { renderService } from '../lib/render-service.js';

export default function ({ asyncapi, params }) {
  const input = loadInput(asyncapi, params);
  return renderService(input)
    .filter((file) => !file.path.includes('/'))
    .map((file) => <File name={file.path}>{file.content}</File>);
}
