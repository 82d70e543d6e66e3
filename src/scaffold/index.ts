// Public surface of the scaffold module: `eventkit init` and `eventkit add event`.

export { type AddEventOptions, type AddEventResult, addEvent, planAddEvent } from './add-event.ts';
export { isScaffoldError, ScaffoldError, type ScaffoldErrorKind } from './errors.ts';
export { type EventNames, eventNames } from './event-name.ts';
export { type InitOptions, type InitResult, initProject, serviceIdFrom } from './init.ts';
