import { GdprError } from '../errors/gdpr-error.js';
import type { FailureReason } from '../requests/request-record.js';
import { scrubText } from '../stream/scrub.js';
import { StreamHttpError } from '../stream/stream-errors.js';

/**
 * What we store about a failure: our code, the (already scrubbed) message,
 * and Stream's HTTP status and code. Unknown errors keep only their class
 * name: their message may quote anything.
 */
export function toFailureReason(
  error: unknown,
  terms: readonly string[] = [],
): FailureReason {
  if (error instanceof StreamHttpError) {
    return {
      code: error.code,
      message: scrubText(error.message, terms),
      httpStatus: error.status,
      ...(error.streamCode === undefined
        ? {}
        : { streamCode: error.streamCode }),
    };
  }

  if (error instanceof GdprError) {
    return { code: error.code, message: scrubText(error.message, terms) };
  }

  const name = error instanceof Error ? error.name : 'Error';
  return { code: 'internal_error', message: `unexpected ${name}` };
}
