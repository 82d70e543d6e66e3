// TypeScript declarations and the protobufjs descriptor for the proto types a service uses.
// The proto sources are parsed again here (rather than reusing the registry's descriptors) because the
// generated types need the doc comments, and the embedded descriptor must use the same camelCase field
// names as the types so the runtime codec's values match them.
import protobuf from 'protobufjs';
import type { ProtoFileModel, Registry } from '../../model/types.ts';
import { CodegenError } from '../errors.ts';
import { camelIdent, docText } from './naming.ts';
import type { TsDeclaration, TsField, TsTypeModule } from './types.ts';

/** The runtime codec's TS shape of proto scalars (longs as numbers, bytes as Uint8Array). */
const scalarTypes: Readonly<Record<string, string>> = {
  double: 'number',
  float: 'number',
  int32: 'number',
  uint32: 'number',
  sint32: 'number',
  fixed32: 'number',
  sfixed32: 'number',
  int64: 'number',
  uint64: 'number',
  sint64: 'number',
  fixed64: 'number',
  sfixed64: 'number',
  bool: 'boolean',
  string: 'string',
  bytes: 'Uint8Array',
};

const wellKnownFiles = Object.keys(protobuf.common).filter((file) => file.endsWith('.proto'));

export interface ProtoTypes {
  /** Declarations grouped per package, sorted by package. */
  readonly modules: readonly TsTypeModule[];
  /** protobufjs JSON descriptor holding every used type (and the types nested in it). */
  readonly descriptor: Readonly<Record<string, unknown>>;
  /** TS type of a proto message: `ordersV1.OrderPlaced`, plus its module. */
  typeOf(messageType: string): {
    readonly tsType: string;
    readonly namespace: string;
    readonly fileName: string;
  };
}

/**
 * The registry's proto files plus the inline proto sources of payloads (the stock AsyncAPI form), which
 * have no file of their own under the proto roots.
 */
export function protoSources(registry: Pick<Registry, 'protoFiles' | 'events'>): ProtoFileModel[] {
  const files = new Map(registry.protoFiles.map((file) => [file.file, file]));
  for (const event of registry.events) {
    const payload = event.payload;
    if (payload.kind !== 'protobuf' || registry.protoFiles.some((file) => file.file === payload.protoFile))
      continue;
    // Several inline payloads may come from one document: one entry per distinct source.
    if ([...files.values()].some((file) => file.source === payload.protoSource)) continue;
    files.set(`${payload.protoFile}#${payload.messageType}`, {
      file: payload.protoFile,
      importPath: payload.protoFile,
      package: '',
      source: payload.protoSource,
      messages: [payload.messageType],
      imports: [],
    });
  }
  return [...files.values()];
}

/** Parses every proto file of the registry into one protobufjs root (well-known types included). */
export function parseProtoRoot(protoFiles: readonly ProtoFileModel[]): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of wellKnownFiles) {
    const json = protobuf.common.get(file);
    if (json?.nested && !protoFiles.some((proto) => proto.importPath === file)) root.addJSON(json.nested);
  }
  for (const proto of protoFiles) {
    try {
      protobuf.parse(proto.source, root, { keepCase: false, alternateCommentMode: true });
    } catch (error) {
      throw new CodegenError(`${proto.file}: cannot parse proto: ${(error as Error).message}`, {
        cause: error,
        file: proto.file,
      });
    }
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw new CodegenError(`cannot resolve proto types: ${(error as Error).message}`, { cause: error });
  }
  return root;
}

type NamedType = protobuf.Type | protobuf.Enum;

/** Package of a type: its full name without the enclosing message names. */
function packageOf(type: protobuf.ReflectionObject): string {
  let parent = type.parent;
  while (parent instanceof protobuf.Type) parent = parent.parent;
  return parent && !(parent instanceof protobuf.Root) ? parent.fullName.replace(/^\./, '') : '';
}

/** TS name of a type inside its package: nested message names joined with `_`. */
function localName(type: protobuf.ReflectionObject): string {
  const names = [type.name];
  let parent = type.parent;
  while (parent instanceof protobuf.Type) {
    names.unshift(parent.name);
    parent = parent.parent;
  }
  return names.join('_');
}

/** Outermost message of a (possibly nested) type: what goes into the descriptor. */
function outermost(type: protobuf.ReflectionObject): protobuf.ReflectionObject {
  let current = type;
  while (current.parent instanceof protobuf.Type) current = current.parent;
  return current;
}

function moduleFileName(pkg: string): string {
  return `${pkg === '' ? 'root' : pkg}.ts`;
}

function namespaceOf(pkg: string): string {
  return camelIdent(pkg === '' ? 'root' : pkg);
}

/** Builds the declarations of every type reachable from `messageTypes` (fully qualified names). */
export function buildProtoTypes(
  root: protobuf.Root,
  messageTypes: readonly string[],
  fileOfType: (fullName: string) => string | undefined,
): ProtoTypes {
  const reachable = new Map<string, NamedType>();
  const visit = (type: NamedType): void => {
    const fullName = type.fullName.replace(/^\./, '');
    if (reachable.has(fullName)) return;
    reachable.set(fullName, type);
    if (type instanceof protobuf.Type) {
      for (const field of type.fieldsArray) {
        const resolved = field.resolve().resolvedType;
        if (resolved) visit(resolved);
      }
    }
  };
  for (const messageType of messageTypes) {
    const type = root.lookup(messageType);
    if (!(type instanceof protobuf.Type)) {
      throw new CodegenError(`proto message ${messageType} not found in the proto roots`);
    }
    visit(type);
  }

  const refOf = (type: NamedType, fromPackage: string): string => {
    const pkg = packageOf(type);
    return pkg === fromPackage ? localName(type) : `${namespaceOf(pkg)}.${localName(type)}`;
  };

  const byPackage = new Map<
    string,
    { declarations: TsDeclaration[]; imports: Set<string>; sources: Set<string> }
  >();
  for (const [fullName, type] of reachable) {
    const pkg = packageOf(type);
    const entry = byPackage.get(pkg) ?? {
      declarations: [],
      imports: new Set<string>(),
      sources: new Set<string>(),
    };
    byPackage.set(pkg, entry);
    const source = fileOfType(fullName);
    if (source !== undefined) entry.sources.add(source);
    const deprecated = type.options?.deprecated === true;
    if (type instanceof protobuf.Enum) {
      entry.declarations.push({
        kind: 'enum',
        name: localName(type),
        fullName,
        ...optionalDoc(type.comment),
        deprecated,
        values: Object.keys(type.values).map((name) => ({ name, ...optionalDoc(type.comments[name]) })),
      });
      continue;
    }
    const fields: TsField[] = type.fieldsArray.map((field) => {
      const fieldType = tsTypeOfField(field, pkg, refOf, entry.imports);
      const resolved = field.resolvedType;
      const isMessage = resolved instanceof protobuf.Type && !field.map && !field.repeated;
      return {
        name: field.name,
        type: fieldType,
        optional: isMessage || field.partOf !== null,
        ...optionalDoc(fieldDoc(field)),
        deprecated: field.options?.deprecated === true,
      };
    });
    entry.declarations.push({
      kind: 'interface',
      name: localName(type),
      fullName,
      ...optionalDoc(type.comment),
      deprecated,
      fields,
    });
  }

  const modules: TsTypeModule[] = [...byPackage.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([pkg, entry]) => ({
      package: pkg,
      namespace: namespaceOf(pkg),
      fileName: moduleFileName(pkg),
      sources: [...entry.sources].sort(compare),
      imports: [...entry.imports]
        .filter((other) => other !== pkg)
        .sort(compare)
        .map((other) => ({ namespace: namespaceOf(other), fileName: moduleFileName(other) })),
      declarations: [...entry.declarations].sort((a, b) => compare(a.name, b.name)),
    }));

  return {
    modules,
    descriptor: descriptorOf(reachable),
    typeOf(messageType) {
      const type = reachable.get(messageType);
      if (!type)
        throw new CodegenError(`proto message ${messageType} was not collected`, { kind: 'internal' });
      const pkg = packageOf(type);
      return { tsType: refOf(type, ''), namespace: namespaceOf(pkg), fileName: moduleFileName(pkg) };
    },
  };
}

function tsTypeOfField(
  field: protobuf.Field,
  fromPackage: string,
  refOf: (type: NamedType, fromPackage: string) => string,
  imports: Set<string>,
): string {
  const resolved = field.resolvedType;
  let valueType: string;
  if (resolved) {
    const pkg = packageOf(resolved);
    if (pkg !== fromPackage) imports.add(pkg);
    valueType = refOf(resolved, fromPackage);
  } else {
    valueType = scalarTypes[field.type] ?? 'unknown';
  }
  if (field instanceof protobuf.MapField || field.map) return `Record<string, ${valueType}>`;
  return field.repeated ? `${valueType}[]` : valueType;
}

function fieldDoc(field: protobuf.Field): string | null {
  const parts: string[] = [];
  if (field.comment) parts.push(field.comment);
  const oneof = field.partOf;
  if (oneof && !oneof.name.startsWith('_')) {
    const others = oneof.fieldsArray.map((member) => `\`${member.name}\``).join(', ');
    parts.push(`Part of oneof \`${oneof.name}\`: set at most one of ${others}.`);
  }
  return parts.length === 0 ? null : parts.join('\n\n');
}

function optionalDoc(text: string | null | undefined): { doc?: string } {
  const doc = docText(text);
  return doc === undefined ? {} : { doc };
}

/** Nested-namespace JSON descriptor holding the outermost message of every reachable type. */
function descriptorOf(reachable: ReadonlyMap<string, NamedType>): Readonly<Record<string, unknown>> {
  const tops = new Map<string, protobuf.ReflectionObject>();
  for (const type of reachable.values()) {
    const top = outermost(type);
    tops.set(top.fullName, top);
  }
  const rootJson: { nested: Record<string, unknown> } = { nested: {} };
  for (const fullName of [...tops.keys()].sort(compare)) {
    const top = tops.get(fullName) as NamedType;
    const path = fullName.replace(/^\./, '').split('.');
    let nested = rootJson.nested;
    for (const segment of path.slice(0, -1)) {
      const existing = nested[segment] as { nested: Record<string, unknown> } | undefined;
      const next = existing ?? { nested: {} };
      nested[segment] = next;
      nested = next.nested;
    }
    nested[path[path.length - 1] as string] = top.toJSON({ keepComments: false });
  }
  return rootJson;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
