// Loads every .proto file under the configured proto roots into one protobufjs Root,
// reporting syntax errors and unresolvable imports/types as diagnostics.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import protobuf from 'protobufjs';
import { configLocation } from '../asyncapi/documents.ts';
import { diagnostic, location, relativePath } from '../diagnostics.ts';
import type { TextPosition } from '../source-map.ts';
import type { Diagnostic, EventkitConfig, ProtoFileModel, SourceLocation } from '../types.ts';
import { scanProto } from './scan.ts';

export const protoParseOptions = { keepCase: true, alternateCommentMode: true } as const;

export interface ProtoLibrary {
  readonly root: protobuf.Root;
  /** Sorted by file. */
  readonly files: readonly ProtoFileModel[];
  readonly diagnostics: readonly Diagnostic[];
  /** A message type by fully-qualified name (leading dot optional). */
  findType(fullName: string): protobuf.Type | undefined;
  /** The file declaring a type or enum. */
  fileOf(fullName: string): ProtoFileModel | undefined;
  /** Where a message/enum (or one of its fields / values) is declared. */
  locate(fullName: string, member?: string): SourceLocation | undefined;
  /** Files that could not be parsed (their types are missing from the root). */
  readonly brokenFiles: readonly string[];
}

interface LoadedFile {
  readonly model: ProtoFileModel;
  readonly positions: ReadonlyMap<string, TextPosition>;
}

/** Names of every message and enum defined in a namespace tree. */
function definedNames(ns: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum)
      out.push(nested.fullName.slice(1));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type)
      definedNames(nested as protobuf.NamespaceBase, out);
  }
  return out;
}

export function allTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type)
      allTypes(nested as protobuf.NamespaceBase, out);
  }
  return out;
}

const lineOf = (message: string): number => Number(/line (\d+)/.exec(message)?.[1] ?? 1);

/** protobufjs reports lines only; find the offending token on that line for a column. */
export function columnOf(source: string, line: number, message: string): number {
  const token = /illegal (?:token|name|type|value|id|reference|option|string) '([^']+)'/.exec(message)?.[1];
  const text = source.split('\n')[line - 1] ?? '';
  const at = token ? text.indexOf(token) : -1;
  return at >= 0 ? at + 1 : Math.max(text.search(/\S/), 0) + 1;
}

export async function loadProtoLibrary(config: EventkitConfig): Promise<ProtoLibrary> {
  const diagnostics: Diagnostic[] = [];
  const sources: { abs: string; rel: string; importPath: string }[] = [];
  const explicitRoots = config.protoRoots.join('\u0000') !== 'contracts/proto';
  for (const [index, protoRoot] of config.protoRoots.entries()) {
    const absRoot = path.resolve(config.root, protoRoot);
    if (explicitRoots && !existsSync(absRoot)) {
      diagnostics.push(
        diagnostic(
          'file-unreadable',
          `proto root ${protoRoot} does not exist`,
          configLocation(config, `/protoRoots/${index}`),
          {
            hint: 'Fix "protoRoots" in eventkit.config.json.',
          },
        ),
      );
      continue;
    }
    const found = await fg('**/*.proto', {
      cwd: absRoot,
      onlyFiles: true,
      absolute: false,
      followSymbolicLinks: true,
      suppressErrors: true,
    });
    for (const importPath of found.sort()) {
      const abs = path.join(absRoot, importPath);
      sources.push({ abs, rel: relativePath(config.root, abs), importPath });
    }
  }
  const texts = await Promise.all(
    sources.map(async (s) => {
      try {
        return await readFile(s.abs, 'utf8');
      } catch (error) {
        diagnostics.push(
          diagnostic(
            'file-unreadable',
            `cannot read ${s.rel}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
            location(s.rel),
          ),
        );
        return undefined;
      }
    }),
  );
  const root = new protobuf.Root();
  const files: LoadedFile[] = [];
  const typeToFile = new Map<string, LoadedFile>();
  const brokenFiles: string[] = [];
  const knownImports = new Set(sources.map((s) => s.importPath));
  const addedCommon = new Set<string>();
  const pendingImports: { file: LoadedFile; imports: string[] }[] = [];
  sources.forEach((s, i) => {
    const source = texts[i];
    if (source === undefined) return;
    const scan = scanProto(source);
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(source, new protobuf.Root(), protoParseOptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      brokenFiles.push(s.rel);
      diagnostics.push(
        diagnostic(
          'proto-syntax',
          `${message.replace(/\s*\(line \d+\)$/, '')}`,
          location(s.rel, lineOf(message), columnOf(source, lineOf(message), message)),
          {
            hint: 'Fix the .proto syntax; the types of this file are missing until it parses.',
          },
        ),
      );
      return;
    }
    // protobufjs parses any `syntax = "…"` and fails only later, when codegen resolves the types.
    const declared = /^\s*(syntax|edition)\s*=\s*(["'])(.*?)\2/m.exec(source);
    const known = declared?.[1] === 'syntax' ? ['proto2', 'proto3'] : ['2023', '2024'];
    if (declared && !known.includes(declared[3] as string)) {
      const line = source
        .slice(0, declared.index + declared[0].indexOf(declared[1] as string))
        .split('\n').length;
      brokenFiles.push(s.rel);
      diagnostics.push(
        diagnostic(
          'proto-syntax',
          `${declared[1]} "${declared[3]}" is not a protobuf ${declared[1] === 'syntax' ? 'syntax' : 'edition'} (known: ${known.join(', ')})`,
          location(s.rel, line, 1),
          { hint: 'Write syntax = "proto3"; as the first statement of the file.' },
        ),
      );
      return;
    }
    const names = definedNames(parsed.root);
    const imports = [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])];
    const loaded: LoadedFile = {
      model: {
        file: s.rel,
        importPath: s.importPath,
        package: parsed.package ?? '',
        source,
        messages: names.filter((n) => parsed.root.lookup(n) instanceof protobuf.Type).sort(),
        imports: [...imports].sort(),
      },
      positions: scan.positions,
    };
    // Parse again into the shared root; a clash with another file's names surfaces here.
    try {
      protobuf.parse(source, root, protoParseOptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const clash = names.find((n) => typeToFile.has(n));
      const other = clash ? typeToFile.get(clash)?.model.file : undefined;
      const pos = clash ? scan.positions.get(clash) : undefined;
      diagnostics.push(
        diagnostic(
          'proto-syntax',
          clash ? `${clash} is already defined in ${other}` : message,
          location(s.rel, pos?.line ?? lineOf(message), pos?.column ?? 1),
        ),
      );
      brokenFiles.push(s.rel);
      return;
    }
    files.push(loaded);
    for (const name of names) typeToFile.set(name, loaded);
    pendingImports.push({ file: loaded, imports });
  });
  for (const { file, imports } of pendingImports) {
    for (const imported of imports) {
      if (knownImports.has(imported)) continue;
      const common = protobuf.common.get(imported) as protobuf.INamespace | null;
      if (common) {
        if (!addedCommon.has(imported)) {
          addedCommon.add(imported);
          try {
            root.addJSON(common.nested ?? {});
          } catch {
            // Already defined by another common file (struct/wrappers share nothing, but stay safe).
          }
        }
        continue;
      }
      const pos = file.positions.get(`import:${imported}`);
      diagnostics.push(
        diagnostic(
          'proto-not-found',
          `import "${imported}" not found in the proto roots (${config.protoRoots.join(', ')})`,
          location(file.model.file, pos?.line ?? 1, pos?.column ?? 1),
          {
            hint: 'Add the file under a proto root or fix the import path (relative to a proto root).',
          },
        ),
      );
    }
  }
  // Resolve every field's type; an unknown type is reported at the field.
  for (const type of allTypes(root)) {
    for (const field of type.fieldsArray) {
      try {
        field.resolve();
      } catch {
        const owner = type.fullName.slice(1);
        const file = typeToFile.get(owner);
        const pos = file?.positions.get(`${owner}#${field.name}`);
        if (file)
          diagnostics.push(
            diagnostic(
              'proto-not-found',
              `type "${field.type}" of field ${owner}.${field.name} not found`,
              location(file.model.file, pos?.line ?? 1, pos?.column ?? 1),
              {
                hint: 'Declare the type or import the .proto file that declares it.',
              },
            ),
          );
      }
    }
  }
  const normalise = (name: string) => name.replace(/^\./, '');
  return {
    root,
    files: files.map((f) => f.model).sort((a, b) => (a.file < b.file ? -1 : 1)),
    diagnostics,
    brokenFiles: brokenFiles.sort(),
    findType(fullName) {
      try {
        const found = root.lookup(normalise(fullName));
        return found instanceof protobuf.Type ? found : undefined;
      } catch {
        return undefined;
      }
    },
    fileOf(fullName) {
      return typeToFile.get(normalise(fullName))?.model;
    },
    locate(fullName, member) {
      const name = normalise(fullName);
      const file = typeToFile.get(name);
      if (!file) return undefined;
      const pos = file.positions.get(member ? `${name}#${member}` : name);
      return location(file.model.file, pos?.line ?? 1, pos?.column ?? 1);
    },
  };
}
