// A standalone protobufjs JSON descriptor for one message: the message plus every type it depends on,
// so `Root.fromJSON(descriptor).lookupType(name)` can encode and decode it without any .proto file.
import protobuf from 'protobufjs';

type JsonNamespace = { nested?: Record<string, unknown>; [key: string]: unknown };

/** The outermost message that contains `obj` (or `obj` itself when its parent is a package). */
function outermost(obj: protobuf.ReflectionObject): protobuf.ReflectionObject {
  let current = obj;
  while (current.parent && current.parent instanceof protobuf.Type) current = current.parent;
  return current;
}

function nestedTypes(
  obj: protobuf.ReflectionObject,
  out: protobuf.ReflectionObject[] = [],
): protobuf.ReflectionObject[] {
  out.push(obj);
  if (obj instanceof protobuf.Type) for (const nested of obj.nestedArray) nestedTypes(nested, out);
  return out;
}

export function protoDescriptor(type: protobuf.Type): Record<string, unknown> {
  const included = new Map<string, protobuf.ReflectionObject>();
  const queue: protobuf.ReflectionObject[] = [type];
  while (queue.length > 0) {
    const next = queue.pop() as protobuf.ReflectionObject;
    const top = outermost(next);
    if (included.has(top.fullName)) continue;
    included.set(top.fullName, top);
    for (const member of nestedTypes(top)) {
      if (!(member instanceof protobuf.Type)) continue;
      for (const field of member.fieldsArray) {
        const dep = field.resolvedType;
        if (dep && !included.has(outermost(dep).fullName)) queue.push(dep);
      }
    }
  }
  const root: JsonNamespace = {};
  for (const fullName of [...included.keys()].sort()) {
    const obj = included.get(fullName) as protobuf.ReflectionObject;
    const path = fullName.replace(/^\./, '').split('.');
    const name = path.pop() as string;
    let ns = root;
    for (const segment of path) {
      ns.nested ??= {};
      ns.nested[segment] ??= {};
      ns = ns.nested[segment] as JsonNamespace;
    }
    ns.nested ??= {};
    ns.nested[name] = (obj as protobuf.Type | protobuf.Enum).toJSON();
  }
  return root;
}
