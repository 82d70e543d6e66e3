// The JetStream API subjects a permission can name. nats-server answers JetStream requests on
// `$JS.API.<verb>.<stream>[.<consumer>]` and takes acknowledgements on `$JS.ACK.<stream>.<consumer>.…`;
// naming one stream and one durable in the subject is what lets a permission scope them.

/** Pull the next batch from one durable (what `consume()` sends). */
export const consumerNextSubject = (stream: string, durable: string): string =>
  `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`;

/** Ack, nak, working and term of messages delivered by one durable (the delivery's reply subject). */
export const consumerAckSubject = (stream: string, durable: string): string =>
  `$JS.ACK.${stream}.${durable}.>`;

/** Read one durable's state (the runtime checks it exists before pulling; heartbeats re-check it). */
export const consumerInfoSubject = (stream: string, durable: string): string =>
  `$JS.API.CONSUMER.INFO.${stream}.${durable}`;

/** Read one stream's configuration and state. */
export const streamInfoSubject = (stream: string): string => `$JS.API.STREAM.INFO.${stream}`;

/** Everything in the JetStream API: create, update, purge and delete streams and consumers. */
export const JETSTREAM_API_ALL = '$JS.API.>';

/** Read-only JetStream API subjects (account, stream and consumer info and listings). */
export const JETSTREAM_API_READ_ONLY: readonly string[] = [
  '$JS.API.INFO',
  '$JS.API.STREAM.INFO.*',
  '$JS.API.STREAM.LIST',
  '$JS.API.STREAM.NAMES',
  '$JS.API.CONSUMER.INFO.*.*',
  '$JS.API.CONSUMER.LIST.*',
  '$JS.API.CONSUMER.NAMES.*',
];
