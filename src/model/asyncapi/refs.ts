// Follows `$ref` chains through the raw (unresolved) documents, so a model element can point at the file
// and line where it is really defined (a receiver's message lives in the sender's document).
import path from 'node:path';
import { location, relativePath } from '../diagnostics.ts';
import { pointerSegments, toPointer, type YamlSource } from '../source-map.ts';
import type { SourceLocation } from '../types.ts';
import { readYamlFile, type SourceDocument } from './documents.ts';

interface RawDocument {
  readonly raw: unknown;
  readonly source: YamlSource;
}

export interface ResolvedNode {
  readonly absolutePath: string;
  readonly segments: readonly string[];
  readonly value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class RawDocuments {
  private readonly cache = new Map<string, RawDocument | null>();

  constructor(
    private readonly root: string,
    documents: readonly SourceDocument[],
  ) {
    for (const d of documents) this.cache.set(d.absolutePath, { raw: d.raw, source: d.source });
  }

  private document(absolutePath: string): RawDocument | undefined {
    if (!this.cache.has(absolutePath)) {
      const outcome = readYamlFile(this.root, absolutePath);
      this.cache.set(absolutePath, outcome.ok ? { raw: outcome.source.value, source: outcome.source } : null);
    }
    return this.cache.get(absolutePath) ?? undefined;
  }

  /** Follows `$ref`s (at the node and on the way down) to the node that really holds the value. */
  resolve(absolutePath: string, segments: readonly (string | number)[], depth = 0): ResolvedNode | undefined {
    if (depth > 32) return undefined;
    const doc = this.document(absolutePath);
    if (!doc) return undefined;
    let file = absolutePath;
    let at: string[] = [];
    let node: unknown = doc.raw;
    const follow = (): boolean => {
      while (isObject(node) && typeof node.$ref === 'string') {
        const [target = '', fragment = ''] = node.$ref.split('#');
        const targetFile = target === '' ? file : path.resolve(path.dirname(file), target);
        const next = this.resolve(targetFile, pointerSegments(fragment), depth + 1);
        if (!next) return false;
        file = next.absolutePath;
        at = [...next.segments];
        node = next.value;
      }
      return true;
    };
    for (const segment of segments) {
      if (!follow()) return undefined;
      const key = String(segment);
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObject(node)) node = node[key];
      else return undefined;
      at.push(key);
      if (node === undefined) return undefined;
    }
    if (!follow()) return undefined;
    return { absolutePath: file, segments: at, value: node };
  }

  /** Source location of a pointer inside a document (no ref following). */
  locate(absolutePath: string, segments: readonly (string | number)[]): SourceLocation {
    const rel = relativePath(this.root, absolutePath);
    const doc = this.document(absolutePath);
    const pos = doc?.source.locate(segments) ?? { line: 1, column: 1 };
    return location(rel, pos.line, pos.column, toPointer(segments));
  }

  /** Where the node at `segments` is defined, after following its `$ref` chain. */
  definition(absolutePath: string, segments: readonly (string | number)[]): SourceLocation {
    const resolved = this.resolve(absolutePath, segments);
    return resolved
      ? this.locate(resolved.absolutePath, resolved.segments)
      : this.locate(absolutePath, segments);
  }
}
