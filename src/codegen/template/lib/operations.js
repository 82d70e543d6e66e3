// Which operations go where: events (publisher, handlers) versus request/reply (client, responders).
export const sendsEvents = (input) =>
  input.operations.filter((op) => op.action === 'send' && !op.requestReply);
export const receivesEvents = (input) =>
  input.operations.filter((op) => op.action === 'receive' && !op.requestReply);
export const sendsRequests = (input) =>
  input.operations.filter((op) => op.action === 'send' && op.requestReply);
export const receivesRequests = (input) =>
  input.operations.filter((op) => op.action === 'receive' && op.requestReply);
