// The codegen input: everything the generator template needs about one service, as plain JSON.
// eventkit builds it from the registry (the one model) and hands its path to the template as the
// `input` template parameter, because the stock AsyncAPI parser cannot resolve our protobuf payloads.

import type { ImportExtension } from '../../model/types.ts';
import type { ConsumerOptions } from '../../runtime/api.ts';

/** Version of the input format; the template refuses inputs it does not know. */
export const codegenInputVersion = 2;

/** One field of a generated TypeScript interface. */
export interface TsField {
  /** Property name (the proto3 JSON name). */
  readonly name: string;
  /** TypeScript type text, with types of other packages qualified by their namespace (`commonV1.Money`). */
  readonly type: string;
  readonly optional: boolean;
  readonly doc?: string;
  readonly deprecated: boolean;
}

export type TsDeclaration =
  | {
      readonly kind: 'interface';
      /** TypeScript name (`OrderLine`; nested proto messages joined with `_`: `Order_Line`). */
      readonly name: string;
      /** Proto full name or JSON payload type. */
      readonly fullName: string;
      readonly doc?: string;
      readonly deprecated: boolean;
      readonly fields: readonly TsField[];
    }
  | {
      readonly kind: 'enum';
      readonly name: string;
      readonly fullName: string;
      readonly doc?: string;
      readonly deprecated: boolean;
      readonly values: readonly { readonly name: string; readonly doc?: string }[];
    }
  | {
      /** A type alias with its TypeScript text (JSON Schema payloads that are not plain objects). */
      readonly kind: 'alias';
      readonly name: string;
      readonly fullName: string;
      readonly doc?: string;
      readonly deprecated: boolean;
      readonly type: string;
    };

/** One generated file under `types/`: every declaration of one proto package (or JSON payload package). */
export interface TsTypeModule {
  /** `orders.v1`. */
  readonly package: string;
  /** Namespace the other generated files import it as: `ordersV1`. */
  readonly namespace: string;
  /** File name under `types/`: `orders.v1.ts`. */
  readonly fileName: string;
  /** Source files of the declarations (relative paths), for the file comment. */
  readonly sources: readonly string[];
  /** Packages this module refers to (their namespaces are imported). */
  readonly imports: readonly { readonly namespace: string; readonly fileName: string }[];
  readonly declarations: readonly TsDeclaration[];
}

export interface SubjectParameter {
  readonly name: string;
  /** Payload field (JSON name) the value is taken from when not given. */
  readonly field?: string;
  readonly description?: string;
}

export interface MessageInput {
  /** Identifier of the generated descriptor: `OrderPlacedV1`. */
  readonly ident: string;
  readonly type: string;
  readonly kind: 'event' | 'command' | 'query';
  readonly context: string;
  readonly name: string;
  readonly major: number;
  readonly subjectPattern: string;
  readonly subjectFilter: string;
  readonly stream?: string;
  /** Service that sends it (events only): the runtime checks `ce-source` against it. */
  readonly producer?: string;
  readonly partitionKey?: { readonly parameter: string; readonly field?: string };
  readonly subjectParameters: readonly SubjectParameter[];
  /** TypeScript type of the payload: `ordersV1.OrderPlaced`. */
  readonly tsType: string;
  /** Namespace + file of the module declaring the payload type. */
  readonly typeModule: { readonly namespace: string; readonly fileName: string };
  readonly codec:
    | { readonly kind: 'protobuf'; readonly messageType: string }
    | { readonly kind: 'json'; readonly schema: unknown }
    /** No runtime codec for this format (Avro): no descriptor, publisher or handler; types and examples only. */
    | { readonly kind: 'none'; readonly format: string; readonly reason: string };
  readonly title?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated: boolean;
  /** For commands/queries: the ident of the reply's descriptor. */
  readonly replyIdent?: string;
  /** True when this message is only here as the reply of a command/query. */
  readonly isReply: boolean;
  /**
   * Whether the payload type is a plain object, so example builders take `Partial<T>` overrides; a union or
   * scalar payload (`oneOf`, a string) cannot be spread and its builders take none.
   */
  readonly exampleOverrides: boolean;
  readonly examples: readonly {
    readonly key: string;
    readonly name: string;
    readonly summary?: string;
    readonly payload: unknown;
  }[];
  /** `asyncapi/orders.yaml` (where the message is defined). */
  readonly definedIn: string;
}

export interface OperationInput {
  readonly operationId: string;
  readonly action: 'send' | 'receive';
  readonly requestReply: boolean;
  /** Generated member name: the operation id, suffixed with the message ident when it carries several. */
  readonly member: string;
  /** Ident of the message (descriptor) it carries. */
  readonly message: string;
  /** For request/reply: ident of the reply. */
  readonly reply?: string;
  readonly channelAddress: string;
  readonly summary?: string;
  readonly description?: string;
  /** NATS queue group (`bindings.nats.queue`) the operation's responders share. */
  readonly queue?: string;
  /** Receive operations on events: the durable consumer settings. */
  readonly consumer?: ConsumerOptions;
}

export interface CodegenInput {
  readonly version: typeof codegenInputVersion;
  readonly service: {
    readonly id: string;
    readonly title: string;
    /** PascalCase service id: `Orders`. */
    readonly pascal: string;
    /** camelCase service id: `orders`. */
    readonly camel: string;
    /** Relative path of the AsyncAPI document: `asyncapi/orders.yaml`. */
    readonly documentFile: string;
    /**
     * Protocol of the service's servers (`nats`, `kafka`, `amqp`, `mqtt`, `ws`, …). Publishers, handlers and
     * request/reply helpers are generated for `nats` only; other protocols get payload types, codecs and examples.
     */
    readonly protocol?: string;
    /** The protocol's word for an address (`subject`, `topic`, `queue`, `channel`) and its name (`Kafka`). */
    readonly words?: { readonly address: string; readonly broker: string };
  };
  /** Import specifiers of the runtime, relative to the generated folder (`../../../runtime/index.ts`). */
  readonly runtime: { readonly index: string; readonly api: string };
  /** Extension of relative imports between generated files: `.js` (plain tsc + node) or `.ts`. */
  readonly importExtension: ImportExtension;
  readonly typeModules: readonly TsTypeModule[];
  /** protobufjs JSON descriptor of every proto type used (camelCase field names, like the TS types). */
  readonly protoDescriptor: Readonly<Record<string, unknown>>;
  /** Sorted by ident. */
  readonly messages: readonly MessageInput[];
  /** Sorted by member. */
  readonly operations: readonly OperationInput[];
}
