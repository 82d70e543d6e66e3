// The service documents of a project, read with the `yaml` document API (comments kept) for editing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { type Document, parseDocument } from 'yaml';
import type { EventkitConfig } from '../model/types.ts';
import { ScaffoldError } from './errors.ts';

export interface ServiceDocument {
  /** Relative to the project root. */
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  readonly service: string;
  readonly context: string;
  readonly stream: string;
}

function stringAt(doc: Document, keys: readonly string[]): string | undefined {
  const value = doc.getIn(keys);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every AsyncAPI document of the project (YAML or JSON), with its service, context and stream. */
export async function readServiceDocuments(config: EventkitConfig): Promise<ServiceDocument[]> {
  const files = (await fg([...config.asyncapi], { cwd: config.root, onlyFiles: true })).sort();
  const documents: ServiceDocument[] = [];
  for (const file of files) {
    const text = await readFile(path.join(config.root, file), 'utf8');
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
      const [first] = doc.errors;
      const line = first?.linePos?.[0]?.line;
      throw new ScaffoldError(
        `${file}${line === undefined ? '' : `:${line}`}: ${first?.message.split('\n')[0]} (fix it first: eventkit lint)`,
        {
          kind: 'bad-input',
          file,
        },
      );
    }
    const service = stringAt(doc, ['info', 'x-eventkit-service']) ?? path.basename(file, path.extname(file));
    const context = stringAt(doc, ['info', 'x-eventkit-context']) ?? service;
    const stream = stringAt(doc, ['x-eventkit-stream', 'name']) ?? context.toUpperCase();
    documents.push({ file, text, doc, service, context, stream });
  }
  return documents;
}
