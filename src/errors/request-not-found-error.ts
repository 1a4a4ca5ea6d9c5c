import { GdprError } from './gdpr-error.js';

/** No request has this id (never created, or expired after retention). */
export class RequestNotFoundError extends GdprError {
  readonly code = 'request_not_found';
  readonly retryable = false;
  readonly requestId: string;

  constructor(requestId: string) {
    super(`Request ${requestId} does not exist (or its record has expired)`);
    this.requestId = requestId;
  }
}
