// `eventkit add event <context>.v<N>.<Name>`: the proto message, channel, send operation and component
// message of a new event, following the conventions, in the document of the service that owns the context.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { durableName } from '../model/names.ts';
import type { EventkitConfig } from '../model/types.ts';
import { addEventToDocument } from './asyncapi-edit.ts';
import { readServiceDocuments, type ServiceDocument } from './documents.ts';
import { ScaffoldError } from './errors.ts';
import { type EventNames, eventNames } from './event-name.ts';
import { type PlannedFile, writeAll } from './files.ts';
import { addEventToProto, examplePayload, newProtoFile } from './proto-edit.ts';

export interface AddEventOptions {
  /** Partition key field (default `<first word of the name>_id`: `InvoiceIssued` → `invoice_id`). */
  readonly key?: string;
  /** The sending service (default: the one service whose context is the event's). */
  readonly service?: string;
  /** Also add a receive operation (a durable consumer) in the same service. */
  readonly receive?: boolean;
}

export interface AddEventResult {
  readonly type: string;
  readonly service: string;
  readonly subject: string;
  readonly stream: string;
  readonly durable?: string;
  /** Files written, relative to the project root. */
  readonly files: readonly { readonly path: string; readonly action: 'created' | 'updated' }[];
}

function owner(
  documents: readonly ServiceDocument[],
  names: EventNames,
  service: string | undefined,
): ServiceDocument {
  if (service !== undefined) {
    const found = documents.find((d) => d.service === service);
    if (!found)
      throw new ScaffoldError(
        `no AsyncAPI document for service "${service}" (known: ${documents.map((d) => d.service).join(', ') || 'none'})`,
        { kind: 'bad-input' },
      );
    if (found.context !== names.context)
      throw new ScaffoldError(
        `service "${service}" owns context "${found.context}", not "${names.context}": an event's package is its sender's context`,
        { kind: 'bad-input', file: found.file },
      );
    return found;
  }
  const owners = documents.filter((d) => d.context === names.context);
  if (owners.length === 1 && owners[0]) return owners[0];
  if (owners.length === 0)
    throw new ScaffoldError(
      `no service document owns context "${names.context}" (contexts: ${[...new Set(documents.map((d) => d.context))].join(', ') || 'none'}); run eventkit init or add its document first`,
      { kind: 'bad-input' },
    );
  throw new ScaffoldError(
    `several services share context "${names.context}" (${owners.map((d) => d.service).join(', ')}); pass --service <id>`,
    { kind: 'bad-input' },
  );
}

/** Plans (without writing) the edits that add the event `type`. */
export async function planAddEvent(
  config: EventkitConfig,
  type: string,
  options: AddEventOptions = {},
): Promise<{ files: PlannedFile[]; result: Omit<AddEventResult, 'files'> }> {
  const names = eventNames(type, options.key);
  const documents = await readServiceDocuments(config);
  for (const d of documents)
    if (
      d.doc.hasIn(['components', 'messages', names.messageId]) &&
      d.doc.getIn(['components', 'messages', names.messageId, 'payload', 'schema']) === type
    )
      throw new ScaffoldError(`${d.file} already defines ${type}`, { kind: 'bad-input', file: d.file });
  const document = owner(documents, names, options.service);
  const example = examplePayload(names);
  addEventToDocument(document.doc, names, {
    service: document.service,
    stream: document.stream,
    send: true,
    receive: options.receive === true,
    example,
    file: document.file,
  });
  const protoRoot = config.protoRoots[0] ?? 'contracts/proto';
  const protoPath = path.posix.join(protoRoot.split(path.sep).join('/'), names.protoFile);
  const protoAbsolute = path.join(config.root, protoPath);
  const protoExists = existsSync(protoAbsolute);
  const protoText = protoExists
    ? await readFile(protoAbsolute, 'utf8')
    : newProtoFile(
        names,
        `Integration events of the ${names.context} context, major version ${names.major}.`,
      );
  const files: PlannedFile[] = [
    {
      path: protoPath,
      content: addEventToProto(protoText, names, protoPath),
      mode: protoExists ? 'update' : 'create',
    },
    { path: document.file, content: document.doc.toString({ lineWidth: 0 }), mode: 'update' },
  ];
  return {
    files,
    result: {
      type,
      service: document.service,
      subject: names.address,
      stream: document.stream,
      ...(options.receive === true ? { durable: durableName(document.service, names) } : {}),
    },
  };
}

/** Adds the event `type` to the project: proto message, channel, operation(s), component message. */
export async function addEvent(
  config: EventkitConfig,
  type: string,
  options: AddEventOptions = {},
): Promise<AddEventResult> {
  const { files, result } = await planAddEvent(config, type, options);
  await writeAll(config.root, files);
  return {
    ...result,
    files: files.map((f) => ({ path: f.path, action: f.mode === 'create' ? 'created' : 'updated' })),
  };
}
