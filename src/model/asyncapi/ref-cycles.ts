// Finds `$ref` chains that come back to where they started (A → B → A) before the AsyncAPI parser sees a
// document: the parser's resolver never returns on them. A schema that contains a reference to itself
// (recursion through `properties`) is not a cycle here: only a node that is nothing but a `$ref` to a
// node that is, through the chain, itself.
import path from 'node:path';
import { diagnostic, location, relativePath } from '../diagnostics.ts';
import { pointerSegments, toPointer, type YamlSource } from '../source-map.ts';
import type { Diagnostic } from '../types.ts';
import { readYamlFile, type SourceDocument } from './documents.ts';

interface Loaded {
  readonly raw: unknown;
  readonly source: YamlSource;
}

interface Step {
  readonly absolutePath: string;
  readonly segments: readonly string[];
}

export interface RefCycleReport {
  readonly diagnostics: readonly Diagnostic[];
  /** Documents from which a cycle is reachable: they must not be handed to the parser. */
  readonly cyclic: ReadonlySet<string>;
}

const isRefNode = (v: unknown): v is { $ref: string } =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  typeof (v as { $ref?: unknown }).$ref === 'string';

/** Every `$ref` node of a raw value, as path segments (iterative: documents can be deep). */
function refNodes(value: unknown): string[][] {
  const out: string[][] = [];
  const stack: { value: unknown; at: string[] }[] = [{ value, at: [] }];
  while (stack.length > 0) {
    const { value: v, at } = stack.pop() as { value: unknown; at: string[] };
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) stack.push({ value: item, at: [...at, String(i)] });
    } else if (v && typeof v === 'object') {
      if (isRefNode(v)) out.push(at);
      for (const [k, item] of Object.entries(v))
        if (k !== '$ref') stack.push({ value: item, at: [...at, k] });
    }
  }
  return out;
}

const keyOf = (s: Step) => `${s.absolutePath}#${toPointer(s.segments)}`;

export function findRefCycles(root: string, documents: readonly SourceDocument[]): RefCycleReport {
  const files = new Map<string, Loaded | null>();
  for (const d of documents) files.set(d.absolutePath, { raw: d.raw, source: d.source });
  const load = (absolutePath: string): Loaded | undefined => {
    if (!files.has(absolutePath)) {
      const outcome = readYamlFile(root, absolutePath);
      files.set(absolutePath, outcome.ok ? { raw: outcome.source.value, source: outcome.source } : null);
    }
    return files.get(absolutePath) ?? undefined;
  };
  // Resolution results per ref node: where it ends, or 'cycle'.
  const done = new Map<string, Step | 'cycle' | undefined>();
  const cycles = new Map<string, Step[]>();

  /** Follows the `$ref` of the ref node `at` to its end; `chain` is the ref nodes being followed. */
  const followRef = (at: Step, chain: Step[]): Step | 'cycle' | undefined => {
    const key = keyOf(at);
    if (done.has(key)) return done.get(key);
    const seenAt = chain.findIndex((s) => keyOf(s) === key);
    if (seenAt !== -1) {
      const loop = chain.slice(seenAt);
      const canonical = loop.map(keyOf).sort()[0] as string;
      if (!cycles.has(canonical)) cycles.set(canonical, loop);
      return 'cycle';
    }
    const node = nodeAt(at);
    if (!isRefNode(node)) return at;
    const [target = '', fragment = ''] = node.$ref.split('#');
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      done.set(key, undefined); // remote refs are not followed here
      return undefined;
    }
    const targetFile = target === '' ? at.absolutePath : path.resolve(path.dirname(at.absolutePath), target);
    const result = walk({ absolutePath: targetFile, segments: pointerSegments(fragment) }, [...chain, at]);
    done.set(key, result);
    return result;
  };

  /** Walks a pointer from a document's root, following every ref node met on the way. */
  const walk = (target: Step, chain: Step[]): Step | 'cycle' | undefined => {
    let here: Step = { absolutePath: target.absolutePath, segments: [] };
    for (const segment of [...target.segments, undefined]) {
      const node = nodeAt(here);
      if (node === undefined) return undefined;
      if (isRefNode(node)) {
        const next = followRef(here, chain);
        if (next === undefined || next === 'cycle') return next;
        here = next;
      }
      if (segment === undefined) break;
      here = { absolutePath: here.absolutePath, segments: [...here.segments, segment] };
    }
    return here;
  };

  const nodeAt = (step: Step): unknown => {
    let node: unknown = load(step.absolutePath)?.raw;
    for (const segment of step.segments) {
      if (Array.isArray(node)) node = node[Number(segment)];
      else if (node && typeof node === 'object' && Object.hasOwn(node, segment))
        node = (node as Record<string, unknown>)[segment];
      else return undefined;
    }
    return node;
  };

  const cyclic = new Set<string>();
  for (const document of documents) {
    for (const segments of refNodes(document.raw)) {
      if (followRef({ absolutePath: document.absolutePath, segments }, []) === 'cycle')
        cyclic.add(document.absolutePath);
    }
  }

  const describe = (step: Step): { where: string; line: number; column: number; file: string } => {
    const file = relativePath(root, step.absolutePath);
    const pos = load(step.absolutePath)?.source.locate(step.segments) ?? { line: 1, column: 1 };
    return {
      where: `${file}:${pos.line} #${toPointer(step.segments)}`,
      line: pos.line,
      column: pos.column,
      file,
    };
  };
  const diagnostics = [...cycles.values()].map((loop) => {
    const steps = loop.map(describe);
    const first = steps[0] as ReturnType<typeof describe>;
    return diagnostic(
      'ref-cycle',
      `circular $ref: ${[...steps, first].map((s) => s.where).join(' → ')}`,
      location(first.file, first.line, first.column, toPointer((loop[0] as Step).segments)),
      { hint: 'Point one of these $refs at a real definition instead of another $ref.' },
    );
  });
  return { diagnostics, cyclic };
}
