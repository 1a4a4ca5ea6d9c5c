import { z } from 'zod';

/**
 * Ids as Stream accepts them. User ids: letters, digits, `@`, `_`, `-`, at
 * most 255 characters. Channel cids: `type:id`, the type of letters, digits,
 * `_`, `-` and the id of those plus `!`, at most 64 characters each (the
 * rules stream-chat's Channel constructor applies). Anything else would be
 * refused by Stream after we had already enqueued the request.
 */
export const USER_ID_PATTERN = /^[@\w-]{1,255}$/;
export const CID_PATTERN = /^[\w-]{1,64}:[\w!-]{1,64}$/;

export const userIdSchema = z
  .string({ error: 'expected a string' })
  .regex(USER_ID_PATTERN, {
    error:
      'expected a Stream user id: 1-255 letters, digits, @ _ - ' +
      '(no spaces or control characters)',
  });

export const cidSchema = z
  .string({ error: 'expected a string' })
  .regex(CID_PATTERN, {
    error:
      'expected a channel cid "type:id": type of letters, digits, _ -; ' +
      'id of letters, digits, ! _ -',
  });

/** Unique ids in a stable (sorted) order, so equal sets compare equal. */
export function uniqueSorted(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}
