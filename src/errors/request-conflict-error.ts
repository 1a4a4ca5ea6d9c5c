import { GdprError } from './gdpr-error.js';

/**
 * A request id is already taken by a request with different content. The
 * request id is the identity of a GDPR request, so the second call is
 * refused instead of silently merged; nothing was enqueued.
 */
export class RequestConflictError extends GdprError {
  readonly code = 'request_conflict';
  readonly retryable = false;
  readonly requestId: string;

  constructor(requestId: string) {
    super(
      `Request ${requestId} already exists with different subjects or ` +
        'options; use a new request id for a different request',
    );
    this.requestId = requestId;
  }
}
