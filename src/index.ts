/**
 * The package's main export: the producer library, the record and input
 * types, the errors it throws, and what a receiver needs to check our
 * completion webhooks.
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
  SubjectNotHandledReason,
  SubjectOutcome,
  SubjectRequestMatch,
  WaitOptions,
} from './requests/gdpr-client-types.js';
export { RecordStore } from './requests/record-store.js';
export type {
  BatchOutcome,
  BatchStatus,
  BatchTarget,
  DeadlineFlag,
  DeadlineState,
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
  WebhookDeliveryStatus,
} from './requests/request-record.js';
export { TERMINAL_STATUSES } from './requests/request-record.js';
export {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './webhook/webhook-signature.js';
export type { WebhookSummary } from './webhook/webhook-summary.js';
