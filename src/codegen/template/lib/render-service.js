// Every file of one service's generated folder, as { path, content } in a fixed order. `eventkit codegen`
// calls this in-process with the input it built from the registry; the template entries (template/)
// wrap the same files in <File> for the stock AsyncAPI generator, so both write the same bytes.
import { natsOnly } from './operations.js';
import { renderDescriptor, renderEvents } from './render-events.js';
import { renderExamples } from './render-examples.js';
import { renderHandlers } from './render-handlers.js';
import { renderIndex } from './render-index.js';
import { renderPublisher } from './render-publisher.js';
import { renderRequestReply } from './render-request-reply.js';
import { renderTypeModule } from './render-types.js';
import { withImportExtension } from './text.js';

/** The service folder's top-level files: everything except the payload types. */
function renderTopLevel(input) {
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
  return rendered;
}

/**
 * The generated files of one service: paths relative to its `generated/` folder (`/`-separated),
 * unformatted TypeScript with the configured import extension applied.
 */
export function renderService(input) {
  const files = renderTopLevel(input).map(([name, content]) => ({
    path: name,
    content: withImportExtension(input, content),
  }));
  for (const module of input.typeModules)
    files.push({
      path: `types/${module.fileName}`,
      content: withImportExtension(input, renderTypeModule(input, module)),
    });
  return files;
}
