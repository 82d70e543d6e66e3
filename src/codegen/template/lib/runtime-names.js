// The runtime names generated code calls, in one place (see src/runtime/index.ts).
export const runtime = {
  /** `publisher.publish(descriptor, payload, options): Promise<PublishReceipt>`. */
  publisherType: 'Publisher',
  publish: 'publish',
  /** `createEnvelope(descriptor, payload, options): OutboundMessage` (transactional outbox). */
  createEnvelope: 'createEnvelope',
  /** `router.on(descriptor, consumerOptions, handler)`. */
  routerType: 'Router',
  routerOn: 'on',
  /** `requester.request(requestDescriptor, replyDescriptor, payload, options): Promise<Reply>`. */
  requesterType: 'Requester',
  request: 'request',
  requestOptionsType: 'RequestOptions',
  /** `responder.respond(requestDescriptor, replyDescriptor, handler)`. */
  responderType: 'Responder',
  respond: 'respond',
  requestHandlerType: 'RequestHandler',
};
