import type { BodyCheck } from './response-body.js';
import { StreamResponseError } from './stream-errors.js';
import { describeIssues, streamSchemas } from './stream-schemas.js';

/**
 * Bodies up to this size are parsed in full before the file is committed.
 * Stream refuses Export User beyond 10,000 messages, which keeps real
 * bodies well under it.
 */
export const EXPORT_USER_PARSE_LIMIT_BYTES = 64 * 1024 * 1024;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Checks an Export User body as it streams to disk: it must be a JSON
 * object holding a `user` object. Up to EXPORT_USER_PARSE_LIMIT_BYTES the
 * body is parsed; past it, only that it starts with `{` and ends with `}`
 * (a cheap guard against HTML or truncation, not a full validation).
 */
export function exportUserCheck(status: number): BodyCheck {
  const parts: Uint8Array[] = [];
  let size = 0;
  let first: number | undefined;
  let last: number | undefined;

  return {
    push(chunk) {
      size += chunk.length;
      if (size <= EXPORT_USER_PARSE_LIMIT_BYTES) parts.push(chunk);
      else parts.length = 0;
      for (const byte of chunk) {
        if (isWhitespace(byte)) continue;
        first ??= byte;
        last = byte;
      }
    },
    finish() {
      const fail = (problem: string) =>
        new StreamResponseError('exportUser', status, problem);
      if (first !== OPEN_BRACE || last !== CLOSE_BRACE) {
        throw fail('not a JSON object');
      }
      if (size > EXPORT_USER_PARSE_LIMIT_BYTES) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(parts).toString('utf8'));
      } catch {
        throw fail('not JSON');
      }
      const result = streamSchemas.exportUser.safeParse(parsed);
      if (!result.success) throw fail(describeIssues(result.error));
    },
  };
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
