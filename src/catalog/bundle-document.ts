// The service's AsyncAPI document as one self-contained file for "Download AsyncAPI": `$ref`s to other local
// files (`../common/messages.yaml#/components/messages/OrderPlaced`) are resolved, because the site ships
// only this one file. Written with the `yaml` package rather than `@asyncapi/bundler`: that one is not a
// dependency of eventkit (only of the generator), resolves remote refs over the network, and reorders the
// document; here only local files are read, remote refs stay as they are (offline), and the document keeps
// its own order, comments and quoting (only the `$ref`s change and `components` gains entries).
//
// A target at `#/components/<kind>/<name>` of another file becomes a component of the bundle (same kind and
// name, a numbered suffix when the name is taken by something else) and the `$ref` points at it, so shared
// definitions stay shared and recursive schemas stay finite; any other target is inlined.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, type Node, parseDocument, parse as parseYaml, visit } from 'yaml';

type Json = unknown;

interface Bundle {
  /** Components hoisted from other files, by kind then name, in the order they were first met. */
  readonly components: Map<string, Map<string, Json>>;
  /** `file#pointer` of every hoisted target → its `#/components/...` ref in the bundle. */
  readonly hoisted: Map<string, string>;
  readonly files: Map<string, Json>;
  /** Targets being inlined right now (a cycle leaves its `$ref` unchanged). */
  readonly inlining: Set<string>;
  /** Names taken in the root document's own components, by kind. */
  readonly own: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isRemote = (ref: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);

function readDocument(bundle: Bundle, file: string): Json {
  if (!bundle.files.has(file)) {
    let parsed: Json;
    try {
      parsed = parseYaml(fs.readFileSync(file, 'utf8')) as Json;
    } catch {
      parsed = undefined;
    }
    bundle.files.set(file, parsed);
  }
  return bundle.files.get(file);
}

function unescapePointer(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

function at(document: Json, pointer: string): Json {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    if (token === '' && pointer === '') break;
    const key = unescapePointer(token);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

function componentName(bundle: Bundle, kind: string, name: string, value: Json): string {
  const taken = bundle.components.get(kind) ?? new Map<string, Json>();
  const ownKind = isObject(bundle.own[kind]) ? (bundle.own[kind] as Record<string, unknown>) : {};
  let candidate = name;
  for (let n = 2; taken.has(candidate) || candidate in ownKind; n++) {
    if (taken.get(candidate) === value) return candidate;
    candidate = `${name}_${n}`;
  }
  return candidate;
}

/** `value` with every `$ref` that leaves the root document resolved; `file` is where `value` was written. */
function resolve(bundle: Bundle, value: Json, file: string, isRoot: boolean): Json {
  if (Array.isArray(value)) return value.map((item) => resolve(bundle, item, file, isRoot));
  if (!isObject(value)) return value;
  const ref = value.$ref;
  if (typeof ref === 'string' && !isRemote(ref) && !(isRoot && ref.startsWith('#'))) {
    const [target = '', pointer = ''] = ref.split('#', 2);
    const targetFile = target === '' ? file : path.resolve(path.dirname(file), target);
    const key = `${targetFile}#${pointer}`;
    const known = bundle.hoisted.get(key);
    if (known) return { ...value, $ref: known };
    const document = readDocument(bundle, targetFile);
    const found = at(document, pointer);
    if (found === undefined || bundle.inlining.has(key)) return value;
    const component = /^\/components\/([^/]+)\/([^/]+)$/.exec(pointer);
    if (component) {
      const kind = unescapePointer(component[1] as string);
      const name = componentName(bundle, kind, unescapePointer(component[2] as string), found);
      const local = `#/components/${kind}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      bundle.hoisted.set(key, local);
      const slot = bundle.components.get(kind) ?? new Map<string, Json>();
      bundle.components.set(kind, slot);
      slot.set(name, found);
      slot.set(name, resolve(bundle, found, targetFile, false));
      return { ...value, $ref: local };
    }
    bundle.inlining.add(key);
    const inlined = resolve(bundle, found, targetFile, false);
    bundle.inlining.delete(key);
    const { $ref: _ref, ...siblings } = value;
    return isObject(inlined) && Object.keys(siblings).length > 0 ? { ...inlined, ...siblings } : inlined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = resolve(bundle, child, file, isRoot);
  return out;
}

function hasExternalRef(value: Json): boolean {
  if (Array.isArray(value)) return value.some(hasExternalRef);
  if (!isObject(value)) return false;
  if (typeof value.$ref === 'string' && !value.$ref.startsWith('#') && !isRemote(value.$ref)) return true;
  return Object.values(value).some(hasExternalRef);
}

function newBundle(raw: Record<string, unknown>): Bundle {
  return {
    components: new Map(),
    hoisted: new Map(),
    files: new Map(),
    inlining: new Set(),
    own: isObject(raw.components) ? raw.components : {},
  };
}

// Strings that YAML 1.1 readers (js-yaml, PyYAML) would take for dates, booleans or numbers: quoted in what
// the bundle adds, as the source files quote them.
const YAML11_AMBIGUOUS =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?|[-+]?[0-9_]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|0[0-7_]+)$/;

function quoteAmbiguous(node: Node): Node {
  visit(node, {
    Scalar(_, scalar) {
      if (typeof scalar.value === 'string' && YAML11_AMBIGUOUS.test(scalar.value))
        scalar.type = 'QUOTE_DOUBLE';
    },
  });
  return node;
}

/**
 * The document at `file` (absolute; `raw` is its parsed content) as one self-contained text in its own
 * format, or undefined when it refers to no other local file (it can then be offered as it is).
 */
export function bundleDocument(file: string, raw: Json): string | undefined {
  if (!hasExternalRef(raw) || !isObject(raw)) return undefined;
  const bundle = newBundle(raw);
  if (/\.json$/i.test(file)) {
    const resolved = resolve(bundle, raw, file, true) as Record<string, unknown>;
    const components: Record<string, unknown> = isObject(resolved.components)
      ? { ...resolved.components }
      : {};
    for (const [kind, entries] of bundle.components) {
      const existing = isObject(components[kind]) ? components[kind] : {};
      components[kind] = { ...existing, ...Object.fromEntries(entries) };
    }
    const out = bundle.components.size === 0 ? resolved : { ...resolved, components };
    return `${JSON.stringify(out, null, 2)}\n`;
  }
  const document = parseDocument(fs.readFileSync(file, 'utf8'));
  visit(document, {
    Map(_, map) {
      const ref = map.get('$ref');
      if (typeof ref !== 'string' || ref.startsWith('#') || isRemote(ref)) return undefined;
      const plain = map.toJSON() as Record<string, unknown>;
      const resolved = resolve(bundle, plain, file, true);
      if (isObject(resolved) && typeof resolved.$ref === 'string' && resolved.$ref !== ref) {
        map.set('$ref', resolved.$ref);
        const pair = map.items.find((item) => isScalar(item.key) && item.key.value === '$ref');
        if (pair && isScalar(pair.value)) pair.value.type = 'QUOTE_DOUBLE';
        return visit.SKIP;
      }
      return quoteAmbiguous(document.createNode(resolved, { aliasDuplicateObjects: false }) as Node);
    },
  });
  for (const [kind, entries] of bundle.components)
    for (const [name, value] of entries)
      document.setIn(
        ['components', kind, name],
        quoteAmbiguous(document.createNode(value, { aliasDuplicateObjects: false }) as Node),
      );
  const components = document.get('components');
  if (isMap(components)) components.flow = false;
  return document.toString({ lineWidth: 110 });
}
