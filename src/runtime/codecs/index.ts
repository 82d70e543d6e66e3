export { jsonCodec } from './json.ts';
export {
  checkValue,
  fromJsonView,
  messageToJson,
  rfc3339ToTimestamp,
  timestampToRfc3339,
} from './json-view.ts';
export { jsonName, loadRoot } from './proto-root.ts';
export { protobufCodec, protoType } from './protobuf.ts';
