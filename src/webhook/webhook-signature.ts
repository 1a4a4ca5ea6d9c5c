import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the signing time, in Unix seconds. */
export const TIMESTAMP_HEADER = 'X-GDPR-Timestamp';
/** Header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. */
export const SIGNATURE_HEADER = 'X-GDPR-Signature';

/** Signs a webhook body; the timestamp is part of what is signed. */
export function signWebhook(
  secret: string,
  timestamp: number | string,
  body: string,
): string {
  const hmac = createHmac('sha256', secret).update(`${timestamp}.${body}`);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * Checks a completion webhook on the receiving side. Pass the raw body
 * exactly as received (before any JSON parsing), the two headers and how
 * old a delivery may be. Returns false for a wrong signature, a malformed
 * header, or a timestamp further than `toleranceSec` from now in either
 * direction (a replayed delivery).
 *
 * @example
 * ```ts
 * const ok = verifyWebhookSignature(
 *   process.env.WEBHOOK_SECRET!,
 *   req.headers['x-gdpr-timestamp'],
 *   rawBody,
 *   req.headers['x-gdpr-signature'],
 *   300,
 * );
 * ```
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Buffer,
  signature: string | undefined,
  toleranceSec: number,
  nowSec: number = Math.floor(Date.now() / 1000),
): boolean {
  const ts = typeof timestamp === 'number' ? timestamp : Number(timestamp);
  if (!Number.isInteger(ts) || String(timestamp).trim() === '') return false;
  if (Math.abs(nowSec - ts) > toleranceSec) return false;
  if (
    typeof signature !== 'string' ||
    !/^sha256=[0-9a-f]{64}$/i.test(signature)
  ) {
    return false;
  }

  const expected = Buffer.from(
    signWebhook(secret, ts, body.toString()).slice('sha256='.length),
    'hex',
  );
  const actual = Buffer.from(signature.slice('sha256='.length), 'hex');
  return timingSafeEqual(actual, expected);
}
