// Every generated file of the service except its payload types (see types/types.js).
import { File } from '@asyncapi/generator-react-sdk';
import { loadInput } from '../lib/input.js';
import { natsOnly } from '../lib/operations.js';
import { renderDescriptor, renderEvents } from '../lib/render-events.js';
import { renderExamples } from '../lib/render-examples.js';
import { renderHandlers } from '../lib/render-handlers.js';
import { renderIndex } from '../lib/render-index.js';
import { renderPublisher } from '../lib/render-publisher.js';
import { renderRequestReply } from '../lib/render-request-reply.js';
import { withImportExtension } from '../lib/text.js';

export default function ({ asyncapi, params }) {
  const input = loadInput(asyncapi, params);
  const rendered = [
    [
      'descriptor.ts',
      input.messages.some((message) => message.codec.kind === 'protobuf')
        ? renderDescriptor(input)
        : undefined,
    ],
    ['events.ts', renderEvents(input)],
    ['examples.ts', renderExamples(input)],
    // eventkit's runtime speaks NATS: other protocols get payload types, codecs and examples only.
    ...(natsOnly(input)
      ? [
          ['handlers.ts', renderHandlers(input)],
          ['publisher.ts', renderPublisher(input)],
          ['request-reply.ts', renderRequestReply(input)],
        ]
      : []),
  ].filter(([, content]) => content !== undefined);
  rendered.push([
    'index.ts',
    renderIndex(
      input,
      rendered.map(([name]) => name),
    ),
  ]);
  return rendered.map(([name, content]) => <File name={name}>{withImportExtension(input, content)}</File>);
}
