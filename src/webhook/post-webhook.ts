import {
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from './webhook-signature.js';

/** How long a receiver may take to answer one delivery. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface PostOutcome {
  readonly ok: boolean;
  /** HTTP status; 0 when no answer came (timeout, refused, reset). */
  readonly status: number;
}

/**
 * POSTs one signed webhook body. Never throws: a receiver that cannot be
 * reached is an outcome like any other, for the caller to retry.
 */
export async function postWebhook(
  url: string,
  secret: string,
  body: string,
  nowSec: number = Math.floor(Date.now() / 1000),
): Promise<PostOutcome> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'stream-gdpr-webhook',
        [TIMESTAMP_HEADER]: String(nowSec),
        [SIGNATURE_HEADER]: signWebhook(secret, nowSec, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    // The answer's body is of no interest; drain it to free the socket.
    await response.body?.cancel();
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
    };
  } catch {
    return { ok: false, status: 0 };
  }
}
