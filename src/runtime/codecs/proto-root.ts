// Builds a protobufjs Root from a registry descriptor (protobufjs JSON, usually parsed with keepCase)
// so that the runtime value shape uses JSON names (lowerCamelCase, as protoc derives json_name).
// Wire encoding uses field numbers only, so renaming fields is safe.
import protobuf from 'protobufjs';

/** protoc's json_name: drop each `_` and upper-case the character after it. */
export function jsonName(protoName: string): string {
  let out = '';
  let upper = false;
  for (const ch of protoName) {
    if (ch === '_') upper = true;
    else {
      out += upper ? ch.toUpperCase() : ch;
      upper = false;
    }
  }
  return out;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copy of a protobufjs namespace JSON with every message field renamed to its JSON name. */
function camelCaseFields(ns: Json): Json {
  const out: Json = { ...ns };
  if (isObject(ns.fields)) {
    const fields: Json = {};
    for (const [name, field] of Object.entries(ns.fields)) fields[jsonName(name)] = field;
    out.fields = fields;
  }
  if (isObject(ns.oneofs)) {
    const oneofs: Json = {};
    for (const [name, oneof] of Object.entries(ns.oneofs)) {
      const members =
        isObject(oneof) && Array.isArray(oneof.oneof) ? oneof.oneof.map((m) => jsonName(String(m))) : [];
      oneofs[name] = { ...(isObject(oneof) ? oneof : {}), oneof: members };
    }
    out.oneofs = oneofs;
  }
  if (isObject(ns.nested)) {
    const nested: Json = {};
    for (const [name, child] of Object.entries(ns.nested))
      nested[name] = isObject(child) ? camelCaseFields(child) : child;
    out.nested = nested;
  }
  return out;
}

const WELL_KNOWN = [
  'google/protobuf/timestamp.proto',
  'google/protobuf/duration.proto',
  'google/protobuf/wrappers.proto',
  'google/protobuf/struct.proto',
  'google/protobuf/empty.proto',
  'google/protobuf/field_mask.proto',
];

/** Adds the well-known types the descriptor uses but does not carry (JSON level, before loading). */
function withWellKnownTypes(json: Json): Json {
  const nested = isObject(json.nested) ? { ...json.nested } : {};
  const google = isObject(nested.google) ? { ...nested.google } : {};
  const googleNested = isObject(google.nested) ? { ...google.nested } : {};
  const pb = isObject(googleNested.protobuf) ? { ...googleNested.protobuf } : {};
  const types: Json = isObject(pb.nested) ? { ...pb.nested } : {};
  for (const file of WELL_KNOWN) {
    const wkt = protobuf.common.get(file) as Json | undefined;
    const wktTypes = (
      ((wkt?.nested as Json | undefined)?.google as Json | undefined)?.nested as Json | undefined
    )?.protobuf as Json | undefined;
    for (const [name, type] of Object.entries((wktTypes?.nested as Json | undefined) ?? {}))
      if (!(name in types)) types[name] = type;
  }
  pb.nested = types;
  googleNested.protobuf = pb;
  google.nested = googleNested;
  nested.google = google;
  return { ...json, nested };
}

const cache = new WeakMap<object, protobuf.Root>();

/** A resolved Root for the descriptor (cached per descriptor object), with well-known types added when missing. */
export function loadRoot(descriptor: Readonly<Record<string, unknown>>): protobuf.Root {
  const cached = cache.get(descriptor);
  if (cached) return cached;
  const json = camelCaseFields(withWellKnownTypes(descriptor as Json));
  const root = protobuf.Root.fromJSON(json as protobuf.INamespace);
  root.resolveAll();
  cache.set(descriptor, root);
  return root;
}
