// Name conversions shared by the codegen input builder.

/** `orders.v1` → `ordersV1`, `google.protobuf` → `googleProtobuf`, `order-service` → `orderService`. */
export function camelIdent(text: string): string {
  const parts = text.split(/[^A-Za-z0-9]+/).filter((part) => part.length > 0);
  const joined = parts
    .map((part, index) => (index === 0 ? part.charAt(0).toLowerCase() + part.slice(1) : pascalWord(part)))
    .join('');
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** `orders` → `Orders`, `order-service` → `OrderService`. */
export function pascalIdent(text: string): string {
  const camel = camelIdent(text);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

function pascalWord(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A TSDoc-safe comment text (no comment terminator inside), trimmed; undefined when empty. */
export function docText(text: string | null | undefined): string | undefined {
  if (text === null || text === undefined) return undefined;
  const trimmed = text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  return trimmed.length === 0 ? undefined : trimmed.replace(/\*\//g, '*\\/');
}
