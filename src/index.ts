/**
 * The package's main export: the producer library, the record and input
 * types, and the errors it throws.
 */
export { ConfigError } from './errors/config-error.js';
export { GdprError, isRetryable } from './errors/gdpr-error.js';
export { InputError, type InputIssue } from './errors/input-error.js';
export { RedisUnavailableError } from './errors/redis-unavailable-error.js';
export { RequestConflictError } from './errors/request-conflict-error.js';
export { RequestNotFoundError } from './errors/request-not-found-error.js';
export { WaitTimeoutError } from './errors/wait-timeout-error.js';
export {
  createGdprClient,
  type GdprClientOptions,
} from './requests/gdpr-client.js';
export type {
  EnqueueResult,
  ErasureRequestInput,
  ExportRequestInput,
  GdprClient,
  WaitOptions,
} from './requests/gdpr-client-types.js';
export { RecordStore } from './requests/record-store.js';
export type {
  BatchOutcome,
  BatchStatus,
  BatchTarget,
  ErasureMode,
  ErasureOptions,
  ExportArtifact,
  ExportArtifacts,
  ExportOptions,
  FailureReason,
  RequestEvent,
  RequestKind,
  RequestRecord,
  RequestStatus,
  SubjectFailure,
  Verification,
} from './requests/request-record.js';
export { TERMINAL_STATUSES } from './requests/request-record.js';
