export type { SecurityEvent, Outcome, ActorType, EventActor } from './types';
export { recordEvent, emitEvent, flushEvents } from './record-event';
export { listAuditEvents, iterateAuditEvents, auditFilterSchema, csvHeader, csvRow, type AuditFilter, type AuditEventDto } from './query-events';
export { signInSeries, activeUserCount, type SignInBucket } from './sign-in-stats';
export { userLabels } from './actor-labels';
