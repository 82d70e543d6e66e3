// What every design rule gets: the registry plus helpers to point at source lines.
import path from 'node:path';
import { readYamlFile } from '../asyncapi/documents.ts';
import { location } from '../diagnostics.ts';
import type { YamlSource } from '../source-map.ts';
import { pointerSegments } from '../source-map.ts';
import type { Diagnostic, Registry, SourceLocation } from '../types.ts';

export interface RuleContext {
  readonly registry: Registry;
  /** Location of a JSON pointer inside a document of the project (relative file), or of the file's start. */
  locate(file: string, pointer: string): SourceLocation;
}

export type DesignRule = (registry: Registry, context: RuleContext) => Diagnostic[];

export function createRuleContext(registry: Registry): RuleContext {
  const sources = new Map<string, YamlSource | null>();
  return {
    registry,
    locate(file, pointer) {
      if (!sources.has(file)) {
        const outcome = readYamlFile(registry.config.root, path.resolve(registry.config.root, file));
        sources.set(file, outcome.ok ? outcome.source : null);
      }
      const pos = sources.get(file)?.locate(pointerSegments(pointer)) ?? { line: 1, column: 1 };
      return location(file, pos.line, pos.column, pointer);
    },
  };
}

/** A pointer below a model element's location (`/components/messages/X` + `/headers`). */
export function below(context: RuleContext, at: SourceLocation, suffix: string): SourceLocation {
  return context.locate(at.file, `${at.pointer ?? ''}${suffix}`);
}
