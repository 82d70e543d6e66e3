// Every name of a new event, derived from `<context>.v<N>.<Name>` with the conventions of
// docs/asyncapi-conventions.md (the same functions the registry uses to check them).
import { jsonName, kebabCase } from '../model/names.ts';
import { ScaffoldError } from './errors.ts';

export interface EventNames {
  /** `billing.v1.InvoiceIssued` */
  readonly type: string;
  readonly context: string;
  readonly major: number;
  /** Proto package: `billing.v1` */
  readonly protoPackage: string;
  /** Proto message name: `InvoiceIssued` */
  readonly name: string;
  /** `invoice-issued` */
  readonly kebab: string;
  /** Channel id: `invoiceIssuedV1` */
  readonly channelId: string;
  /** Component message id: `InvoiceIssuedV1` */
  readonly messageId: string;
  /** Send operation id: `publishInvoiceIssued` (plus `V<N>` from v2 on). */
  readonly sendOperationId: string;
  /** Receive operation id: `onInvoiceIssued` (plus `V<N>` from v2 on). */
  readonly receiveOperationId: string;
  /** Partition key: proto field `invoice_id`, JSON name `invoiceId`. */
  readonly keyField: string;
  readonly keyJson: string;
  /** `billing.invoice-issued.v1.{invoiceId}` */
  readonly address: string;
  /** Proto file the message goes into, relative to the proto root: `billing/v1/events.proto`. */
  readonly protoFile: string;
}

const eventPattern = /^([a-z][a-z0-9]*)\.v([1-9][0-9]*)\.([A-Z][A-Za-z0-9]*)$/;

/** The partition key a new event gets without `--key`: `<subject of the name>Id` (`InvoiceIssued` → `invoiceId`). */
function defaultKey(name: string): string {
  const first = /^[A-Z][a-z0-9]*/.exec(name)?.[0] ?? name;
  return `${first.charAt(0).toLowerCase()}${first.slice(1)}_id`;
}

/** Parses `<context>.v<N>.<Name>`; `key` is the partition key field (snake_case or camelCase). */
export function eventNames(type: string, key?: string): EventNames {
  const match = eventPattern.exec(type);
  if (!match)
    throw new ScaffoldError(
      `"${type}" is not an event type: expected <context>.v<N>.<Name> (context in lower case letters and digits), e.g. billing.v1.InvoiceIssued`,
      { kind: 'bad-input' },
    );
  const [, context = '', majorText = '1', name = ''] = match;
  const major = Number(majorText);
  const keyField = (key ?? defaultKey(name)).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (!/^[a-z][a-z0-9_]*$/.test(keyField))
    throw new ScaffoldError(`"${key}" is not a field name: use letters, digits and _`, { kind: 'bad-input' });
  const keyJson = jsonName(keyField);
  const kebab = kebabCase(name);
  const suffix = major === 1 ? '' : `V${major}`;
  return {
    type,
    context,
    major,
    protoPackage: `${context}.v${major}`,
    name,
    kebab,
    channelId: `${name.charAt(0).toLowerCase()}${name.slice(1)}V${major}`,
    messageId: `${name}V${major}`,
    sendOperationId: `publish${name}${suffix}`,
    receiveOperationId: `on${name}${suffix}`,
    keyField,
    keyJson,
    address: `${context}.${kebab}.v${major}.{${keyJson}}`,
    protoFile: `${context}/v${major}/events.proto`,
  };
}
