// Reads the codegen input eventkit wrote for this document and checks it belongs to the document.
import fs from 'node:fs';

const supportedVersion = 2;

/**
 * The stock AsyncAPI parser cannot resolve protobuf payloads given by fully qualified name, so the
 * types, descriptors and consumer settings come from eventkit's registry (the `input` parameter).
 * The document itself must still agree with it: same operations, same actions.
 */
export function loadInput(asyncapi, params) {
  const file = params.input;
  let input;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`eventkit template: cannot read the codegen input "${file}": ${error.message}`);
  }
  if (input.version !== supportedVersion) {
    throw new Error(
      `eventkit template: codegen input version ${input.version} is not supported (expected ${supportedVersion})`,
    );
  }
  const documentOperations = new Map(
    asyncapi
      .operations()
      .all()
      .map((operation) => [operation.id(), operation.action()]),
  );
  for (const operation of input.operations) {
    const action = documentOperations.get(operation.operationId);
    if (action !== operation.action) {
      throw new Error(
        `eventkit template: the codegen input for service "${input.service.id}" names operation ` +
          `${operation.operationId} (${operation.action}) which the document does not declare as such`,
      );
    }
  }
  return input;
}

/** Messages by ident. */
export function messageIndex(input) {
  return new Map(input.messages.map((message) => [message.ident, message]));
}
