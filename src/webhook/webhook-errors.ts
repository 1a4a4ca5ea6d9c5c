import { GdprError } from '../errors/gdpr-error.js';

/**
 * The completion webhook could not be delivered. The message names the
 * last HTTP status, never the URL (it may carry a token).
 */
export class WebhookDeliveryError extends GdprError {
  readonly code = 'webhook_delivery_failed';
  readonly retryable: boolean;
  readonly status: number;

  constructor(status: number, attempts: number, retryable: boolean) {
    super(
      `Webhook not delivered after ${attempts} attempt(s): ${
        status === 0
          ? 'no answer from the receiver'
          : `receiver answered HTTP ${status}`
      }`,
    );
    this.status = status;
    this.retryable = retryable;
  }
}
