// The registry: one typed, immutable model of every AsyncAPI document and proto schema.
// Everything else in eventkit (runtime, codegen, contracts, compat, catalog) reads this model only.

/** Where a model element came from, so every diagnostic can say `file:line:col`. */
export interface SourceLocation {
  /** Path relative to the config root (posix separators), e.g. `asyncapi/orders.yaml`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** JSON pointer inside the document, when the element lives in a YAML/JSON document. */
  readonly pointer?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while loading or checking. Problems are data, never exceptions. */
export interface Diagnostic {
  /** Stable rule id, e.g. `asyncapi-parse`, `proto-syntax`, `event-single-sender`, `buf/FIELD_LOWER_SNAKE_CASE`. */
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location?: SourceLocation;
  /** What the user should do about it. */
  readonly hint?: string;
}

export type RuleSetting = 'error' | 'warning' | 'off';

export interface EventkitConfig {
  /** Absolute path of the folder that holds the config file (or cwd when there is none). */
  readonly root: string;
  /** Absolute path of the config file, if one was found. */
  readonly configFile?: string;
  /** Globs (relative to root) of AsyncAPI documents. Default `["asyncapi/*.{yaml,yml,json}"]`. */
  readonly asyncapi: readonly string[];
  /** Proto import roots (relative to root). Default `["contracts/proto"]`. */
  readonly protoRoots: readonly string[];
  readonly output: {
    /** Where `eventkit codegen` writes, per service `<codegen>/<service>/generated`. Default `src/reference`. */
    readonly codegen: string;
    /** Default `dist/catalog`. */
    readonly catalog: string;
    /** Default `contracts/pacts`. */
    readonly pacts: string;
    /** Verification results matrix. Default `contracts/verification-results.json`. */
    readonly results: string;
  };
  /** eventkit's own conventions; switch off to lint ordinary AsyncAPI documents written elsewhere. */
  readonly conventions: {
    /** `<context>.<event-kebab>.v<major>.<key>` subjects and versioned packages. */
    readonly subjects: boolean;
    /** CloudEvents headers (`ce-type`, `ce-id`) declared on every message. */
    readonly cloudEvents: boolean;
  };
  /** Per-rule severity overrides, keyed by rule id. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Run `buf lint` over the proto roots as part of `eventkit lint`. Default true. */
  readonly bufLint: boolean;
  /** Allow inputs and outputs outside the project folder (`../shared/*.yaml`, `"codegen": "../gen"`). Default false. */
  readonly allowOutsideProject?: boolean;
  /** Absent in hand-built configs: read it through `importExtensionOf(config)`. */
  readonly codegen?: {
    /**
     * Extension of the relative imports in generated code: `.js` (default; plain `tsc` with NodeNext, then
     * `node`) or `.ts` (tsx, bundlers, Node's type stripping, `allowImportingTsExtensions`).
     */
    readonly importExtension: ImportExtension;
  };
  /** Absent in hand-built configs: read it through `providerGlobsOf(config)`. */
  readonly contracts?: {
    /** Globs (relative to root) of provider contract modules `eventkit verify` runs. Default: every `*.provider.{ts,mts,js,mjs}` outside node_modules and dist. */
    readonly providers: readonly string[];
  };
}

/** Extension of relative imports in generated code. */
export type ImportExtension = '.js' | '.ts';

/** Who owns a service (from `info.contact` and `info.x-eventkit-owner`). */
export interface Owner {
  readonly team: string;
  readonly name?: string;
  readonly email?: string;
  readonly url?: string;
  readonly slack?: string;
}

/** One AsyncAPI document = one service of one bounded context. */
export interface ServiceModel {
  /** Service id, e.g. `orders` (from `info.x-eventkit-service`, else the file name). */
  readonly id: string;
  /** Bounded context the service belongs to (`info.x-eventkit-context`, default = id). */
  readonly context: string;
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  readonly owner?: Owner;
  readonly tags: readonly string[];
  readonly document: {
    /** Relative path of the AsyncAPI document. */
    readonly file: string;
    /** The document as plain JSON (after YAML parsing, before $ref resolution). */
    readonly raw: unknown;
  };
  readonly servers: readonly {
    readonly id: string;
    readonly host: string;
    readonly protocol: string;
    readonly description?: string;
    /** JetStream servers behind this entry (`x-eventkit-cluster-size`; absent = one server). */
    readonly clusterSize?: number;
  }[];
  /** Event-sourced aggregates (`info.x-eventkit-aggregates`): private events, never integration events. */
  readonly aggregates?: readonly AggregateModel[];
  /** Operation ids (`OperationModel.id`, i.e. `<service>.<operationId>`) of this service with action `send` (events it publishes, requests it makes). */
  readonly sends: readonly string[];
  /** Operation ids (`OperationModel.id`) of this service with action `receive`. */
  readonly receives: readonly string[];
  readonly location: SourceLocation;
}

/** An event-sourced aggregate of one service and the proto messages its event store holds. */
export interface AggregateModel {
  /** Aggregate type, e.g. `Order` (the event store's stream / key). */
  readonly name: string;
  readonly description?: string;
  readonly events: readonly {
    /** Proto full name, e.g. `orders.es.v1.OrderPlaced`. */
    readonly type: string;
    readonly name: string;
    readonly description?: string;
    readonly protoFile: string;
    readonly fields: readonly FieldModel[];
    readonly location: SourceLocation;
  }[];
  readonly location: SourceLocation;
}

export type FieldKind = 'scalar' | 'enum' | 'message' | 'map';

/** One field of a payload, in the proto3 canonical JSON view (names are JSON names). */
export interface FieldModel {
  /** JSON name (lowerCamelCase for proto). */
  readonly name: string;
  /** Name in the .proto file (snake_case), absent for JSON Schema payloads. */
  readonly protoName?: string;
  /** Proto field number, absent for JSON Schema payloads. */
  readonly number?: number;
  readonly kind: FieldKind;
  /** Display type: `string`, `int64`, `common.v1.Money`, `orders.v1.CancelReason`, `map<string, int32>`, ... */
  readonly type: string;
  readonly repeated: boolean;
  /** Required by the schema (JSON Schema `required`; for proto3: fields not marked optional are present with defaults, so false). */
  readonly required: boolean;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly enumValues?: readonly {
    readonly name: string;
    readonly number?: number;
    readonly description?: string;
  }[];
  /** Nested fields when kind is `message` (or a map's message value); absent on recursion. */
  readonly fields?: readonly FieldModel[];
  readonly location?: SourceLocation;
}

export type JsonSchema = Readonly<Record<string, unknown>>;

export type PayloadModel =
  | {
      readonly kind: 'protobuf';
      /** Fully qualified message name, e.g. `orders.v1.OrderPlaced`. */
      readonly messageType: string;
      /** Relative path of the .proto file declaring the message. */
      readonly protoFile: string;
      /** Raw proto source of that file (for the catalog). */
      readonly protoSource: string;
      /**
       * protobufjs JSON descriptor (`INamespace`) holding the message and every type it depends on,
       * so runtime codecs and generated code need no .proto files at run time.
       */
      readonly descriptor: Readonly<Record<string, unknown>>;
      /** JSON Schema of the proto3 canonical JSON view (what contracts, examples and the catalog use). */
      readonly jsonSchema: JsonSchema;
      readonly fields: readonly FieldModel[];
    }
  | {
      readonly kind: 'jsonschema';
      /** The payload schema with $refs resolved. */
      readonly jsonSchema: JsonSchema;
      readonly fields: readonly FieldModel[];
    }
  | {
      /**
       * An Avro schema (`schemaFormat: application/vnd.apache.avro…`), read by `model/avro/avro-schema.ts`.
       * eventkit's runtime has no Avro codec: codegen emits payload types and examples only.
       */
      readonly kind: 'avro';
      /** The Avro schema as written (JSON form, $refs resolved). */
      readonly schema: unknown;
      /** Full name of the top-level named type (`com.example.users.UserSignedUp`); absent for a union. */
      readonly avroName?: string;
      /** JSON Schema of the JSON view examples are written in (unions unwrapped, bytes as strings). */
      readonly jsonSchema: JsonSchema;
      readonly fields: readonly FieldModel[];
    };

export interface ExampleModel {
  readonly name: string;
  readonly summary?: string;
  /** Payload in its JSON view. */
  readonly payload: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly location?: SourceLocation;
}

/** Request/reply messages (commands, queries) are never stored in a stream. */
export type MessageKind = 'event' | 'command' | 'query';

/**
 * One channel an event travels on. A message referenced by several channels (`lights.turn.on.{id}` and
 * `lights.turn.off.{id}`) has one entry per address: every (operation, channel) pair keeps its own address.
 */
export interface EventChannel {
  /** Channel address, e.g. `orders.order-placed.v1.{orderId}`. */
  readonly address: string;
  /** NATS subject filter of the address ('' when it is not a NATS subject). */
  readonly subjectFilter: string;
  readonly partitionKey?: {
    readonly parameter: string;
    readonly field?: string;
    readonly description?: string;
  };
  /** Global ids of the operations that carry the message on this address, sorted. */
  readonly operations: readonly string[];
  /** Where the address is written (in the sender's document when there is one). */
  readonly location?: SourceLocation;
}

/** One message type at one major version: `orders.v1.OrderPlaced`. */
export interface EventModel {
  /** Event type = proto full name (or `x-eventkit-type` for JSON payloads), e.g. `orders.v1.OrderPlaced`. */
  readonly type: string;
  readonly kind: MessageKind;
  /** Short name, e.g. `OrderPlaced`. */
  readonly name: string;
  /** Kebab-case name used in subjects, e.g. `order-placed`. */
  readonly kebab: string;
  /** Bounded context, e.g. `orders`. */
  readonly context: string;
  /** Major version from the package / subject, e.g. 1. */
  readonly major: number;
  /** Proto package, e.g. `orders.v1` (for JSON payloads `<context>.v<major>`). */
  readonly package: string;
  readonly title?: string;
  readonly summary?: string;
  readonly description?: string;
  /** AsyncAPI channel address, e.g. `orders.order-placed.v1.{orderId}`. */
  readonly subjectPattern: string;
  /** NATS subject filter for the pattern, e.g. `orders.order-placed.v1.>`. */
  readonly subjectFilter: string;
  /**
   * Every channel the message travels on; the first is `subjectPattern` (the sender's). A message used by
   * n channels has n entries here, each with its own operations.
   */
  readonly channels: readonly EventChannel[];
  /** The subject's partition key: channel parameter name and the payload field (JSON name) it is taken from. */
  readonly partitionKey?: {
    readonly parameter: string;
    readonly field?: string;
    readonly description?: string;
  };
  /** Stream that stores this event (absent for commands/queries), e.g. `ORDERS`. */
  readonly stream?: string;
  readonly contentType: 'application/protobuf' | 'application/json' | 'avro/binary';
  readonly payload: PayloadModel;
  /** Header schema (JSON Schema object) as declared on the message. */
  readonly headers?: JsonSchema;
  /** For commands/queries: the reply message type. */
  readonly replyType?: string;
  readonly examples: readonly ExampleModel[];
  /** Service id that sends it (first sender when the rule `event-single-sender` fails). */
  readonly producer?: string;
  /** Service ids with a receive operation for it, sorted. */
  readonly consumers: readonly string[];
  readonly deprecated: boolean;
  /** Where the message is defined (the sender's `components.messages` entry). */
  readonly location: SourceLocation;
  /** Where the channel address (subject) is written, in the document of the sender (else the first user). */
  readonly channelLocation?: SourceLocation;
  /** For reply messages of request/reply operations: the request type they answer. */
  readonly replyOf?: string;
  /** Further, different definitions that claim the same type (lint rule `event-duplicate-type`). */
  readonly otherDefinitions?: readonly SourceLocation[];
}

/** Consumer settings declared on a receive operation (`x-eventkit-consumer`), with defaults applied. */
export interface ConsumerSettings {
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /** Redelivery delays in ms; length < maxDeliver. */
  readonly backoffMs: readonly number[];
  readonly maxAckPending: number;
  /** One in-flight message per subject (per-aggregate order). */
  readonly ordered: boolean;
  /** Where a new durable starts: `all` (default), `new`, or a sequence / ISO time. */
  readonly deliverPolicy: 'all' | 'new' | { readonly startSequence: number } | { readonly startTime: string };
}

export interface OperationModel {
  /** Globally unique id `<service>.<operationId>`. */
  readonly id: string;
  /** The operation id as written in the document. */
  readonly operationId: string;
  readonly service: string;
  readonly action: 'send' | 'receive';
  /** Event types the operation carries (usually one). */
  readonly eventTypes: readonly string[];
  readonly channelAddress: string;
  /** True when the operation declares a `reply` (request/reply). */
  readonly requestReply: boolean;
  /** NATS queue group from the operation's `bindings.nats.queue` (responders share the requests). */
  readonly queueGroup?: string;
  readonly summary?: string;
  readonly description?: string;
  /** Durable consumer name for receive operations on events: `<service>--<event-kebab>-v<major>`. */
  readonly durable?: string;
  /**
   * Receive operations on events: the durable of each event type carried (one filter subject per consumer
   * on nats-server 2.9). The first type's is `durable`; names come from `names.ts`.
   */
  readonly durables?: Readonly<Record<string, string>>;

  readonly consumer?: ConsumerSettings;
  readonly location: SourceLocation;
  /** Channel id (key under `channels`) in the service's document. */
  readonly channelId?: string;
  /** Where the channel address is written. */
  readonly channelLocation?: SourceLocation;
  /** For request/reply operations: the reply message types. */
  readonly replyTypes?: readonly string[];
  /** Entries of `eventTypes` whose message could not be loaded (already reported, e.g. `proto-not-found`). */
  readonly unresolvedTypes?: readonly string[];
}

export interface StreamSettings {
  readonly retention: 'limits' | 'interest' | 'workqueue';
  readonly storage: 'file' | 'memory';
  /** 0 = unlimited. Default 7 days. */
  readonly maxAgeMs: number;
  /** 0 = unlimited (`-1` in a document is stored as 0; JetStream's API wants -1). Default unlimited. */
  readonly maxBytes: number;
  /** 0 = unlimited (`-1` in a document is stored as 0; JetStream's API wants -1). Default unlimited. */
  readonly maxMsgs: number;
  readonly duplicateWindowMs: number;
  readonly replicas: number;
  /** JetStream `deny_delete`: no message can be deleted through the API. Default (also when absent) true. */
  readonly denyDelete?: boolean;
  /** JetStream `deny_purge`: the stream cannot be purged through the API. Default (also when absent) true. */
  readonly denyPurge?: boolean;
}

export interface StreamModel {
  /** e.g. `ORDERS`. */
  readonly name: string;
  readonly context: string;
  /** Event subject filters only (never commands/queries), sorted, e.g. `orders.order-placed.v1.>`. */
  readonly subjects: readonly string[];
  readonly settings: StreamSettings;
  readonly description?: string;
  readonly location?: SourceLocation;
}

export interface ProtoFileModel {
  /** Relative path, e.g. `contracts/proto/orders/v1/events.proto`. */
  readonly file: string;
  /** Path relative to its proto root, e.g. `orders/v1/events.proto`. */
  readonly importPath: string;
  readonly package: string;
  readonly source: string;
  readonly messages: readonly string[];
  readonly imports: readonly string[];
}

export interface Registry {
  readonly config: EventkitConfig;
  /** Sorted by id. */
  readonly services: readonly ServiceModel[];
  /** Sorted by type. Includes commands and queries (see `kind`). */
  readonly events: readonly EventModel[];
  /** Sorted by id. */
  readonly operations: readonly OperationModel[];
  /** Sorted by name. */
  readonly streams: readonly StreamModel[];
  readonly protoFiles: readonly ProtoFileModel[];
}

export interface LoadResult {
  readonly registry: Registry;
  readonly diagnostics: readonly Diagnostic[];
}
