import { z } from 'zod';

import { retryAtFrom } from './rate-limit-headers.js';
import { scrubText } from './scrub.js';
import { StreamHttpError, StreamRateLimitError } from './stream-errors.js';
import type { RateLimitInfo, StreamEndpoint } from './stream-types.js';

/** Stream's error body (reference §10); every field may be missing. */
const errorBodySchema = z
  .object({
    code: z.number().int().optional(),
    message: z.string().optional(),
    exception_fields: z.record(z.string(), z.unknown()).optional(),
    unrecoverable: z.boolean().optional(),
  })
  .loose();

export interface FailedResponse {
  readonly endpoint: StreamEndpoint;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly clientRequestId: string;
  /** Ids sent in the call, to be scrubbed from Stream's text. */
  readonly terms: readonly string[];
}

/**
 * Builds the typed error for a non-2xx answer. Bodies that are not Stream
 * JSON (the edge's text 429, a load balancer's HTML 502, S3's XML) are
 * dropped entirely: the error falls back on the status, and no excerpt of
 * a foreign body is kept, since we cannot know what it echoes.
 */
export function toHttpError(failed: FailedResponse): StreamHttpError {
  const body = parseErrorBody(failed.body);
  const details = {
    status: failed.status,
    clientRequestId: failed.clientRequestId,
    ...(failed.rateLimit ? { rateLimit: failed.rateLimit } : {}),
    ...(body.code === undefined ? {} : { streamCode: body.code }),
    ...(body.message
      ? { streamMessage: scrubText(body.message, failed.terms) }
      : {}),
    ...(body.exception_fields
      ? { exceptionFields: scrubFields(body.exception_fields, failed.terms) }
      : {}),
    ...(body.unrecoverable === undefined
      ? {}
      : { unrecoverable: body.unrecoverable }),
  };
  if (failed.status === 429) {
    return new StreamRateLimitError(failed.endpoint, {
      ...details,
      retryAt: retryAtFrom(failed.headers),
    });
  }
  return new StreamHttpError(failed.endpoint, details);
}

function parseErrorBody(bytes: Buffer): z.output<typeof errorBodySchema> {
  const text = bytes.toString('utf8').trim();
  if (!text.startsWith('{')) return {};
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function scrubFields(
  fields: Record<string, unknown>,
  terms: readonly string[],
): Record<string, string> {
  const entries = Object.entries(fields)
    .slice(0, 10)
    .map(([key, value]) => [
      scrubText(key, terms, 60),
      scrubText(typeof value === 'string' ? value : '', terms),
    ]);
  return Object.fromEntries(entries);
}
