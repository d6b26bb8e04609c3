export type { SecurityEvent, Outcome, ActorType } from './types';
export { recordEvent, emitEvent, flushEvents } from './record-event';
