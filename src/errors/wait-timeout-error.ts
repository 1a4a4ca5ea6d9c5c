import { GdprError } from './gdpr-error.js';

/** `waitForRequest` gave up before the request finished. */
export class WaitTimeoutError extends GdprError {
  readonly code = 'wait_timeout';
  readonly retryable = true;
  readonly requestId: string;

  constructor(requestId: string, timeoutMs: number) {
    super(`Request ${requestId} did not finish within ${timeoutMs} ms`);
    this.requestId = requestId;
  }
}
