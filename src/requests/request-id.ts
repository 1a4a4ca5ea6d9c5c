import { randomUUID } from 'node:crypto';

/**
 * Request ids name Redis keys and BullMQ job ids, and appear in logs, so
 * they are restricted to a small alphabet: no `:` (it separates our key
 * segments and BullMQ refuses it in job ids), no `@` (no email addresses),
 * at most 128 characters.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const REQUEST_ID_RULE =
  'expected 1-128 letters, digits, _ . - starting with a letter or digit';

export function isValidRequestId(value: string): boolean {
  return REQUEST_ID_PATTERN.test(value);
}

/** A new request id: `req_` and a UUID without dashes. */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`;
}
