// Which operations go where: events (publisher, handlers) versus request/reply (client, responders).
export const sendsEvents = (input) =>
  input.operations.filter((op) => op.action === 'send' && !op.requestReply);
export const receivesEvents = (input) =>
  input.operations.filter((op) => op.action === 'receive' && !op.requestReply);
export const sendsRequests = (input) =>
  input.operations.filter((op) => op.action === 'send' && op.requestReply);
export const receivesRequests = (input) =>
  input.operations.filter((op) => op.action === 'receive' && op.requestReply);

/** True when the service speaks NATS (no `protocol` in the input): publishers and handlers are generated. */
export const natsOnly = (input) => input.service.protocol === undefined || input.service.protocol === 'nats';
