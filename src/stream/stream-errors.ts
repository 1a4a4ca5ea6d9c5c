import { GdprError } from '../errors/gdpr-error.js';
import type { RateLimitInfo, StreamEndpoint } from './stream-types.js';

/**
 * Failures of calls to Stream. Messages name the endpoint, the HTTP status
 * and Stream's code and (scrubbed) message; they never hold a URL, a request
 * body or any id that was sent, because BullMQ stores `message` in Redis and
 * pino's error serializer writes every enumerable field and every `cause`
 * message. Causes are therefore always sanitized copies (see safeCause).
 */
export abstract class StreamError extends GdprError {
  readonly endpoint: StreamEndpoint;

  constructor(
    endpoint: StreamEndpoint,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.endpoint = endpoint;
  }
}

/** Stream's error codes that mean "try again later" (reference §10). */
const RETRYABLE_CODES = new Set([-1, 9, 23]);

/** HTTP statuses that mean "try again later" (reference §10). */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface StreamHttpErrorDetails {
  readonly status: number;
  readonly streamCode?: number;
  /** Already scrubbed of the call's ids and truncated. */
  readonly streamMessage?: string;
  /** Keys and scrubbed reasons of Stream's `exception_fields`. */
  readonly exceptionFields?: Readonly<Record<string, string>>;
  /** Stream's `unrecoverable` flag: never retry when true. */
  readonly unrecoverable?: boolean;
  readonly rateLimit?: RateLimitInfo;
  readonly clientRequestId?: string;
}

/** Stream answered with a non-2xx status. */
export class StreamHttpError extends StreamError {
  readonly code: 'stream_http_error' | 'stream_rate_limited' =
    'stream_http_error';
  readonly retryable: boolean;
  readonly status: number;
  readonly streamCode: number | undefined;
  readonly streamMessage: string | undefined;
  readonly exceptionFields: Readonly<Record<string, string>> | undefined;
  readonly unrecoverable: boolean;
  readonly rateLimit: RateLimitInfo | undefined;
  readonly clientRequestId: string | undefined;

  constructor(endpoint: StreamEndpoint, details: StreamHttpErrorDetails) {
    super(endpoint, describeHttpFailure(endpoint, details));
    this.status = details.status;
    this.streamCode = details.streamCode;
    this.streamMessage = details.streamMessage;
    this.exceptionFields = details.exceptionFields;
    this.unrecoverable = details.unrecoverable === true;
    this.rateLimit = details.rateLimit;
    this.clientRequestId = details.clientRequestId;
    this.retryable =
      !this.unrecoverable &&
      (isRetryableStatus(details.status) ||
        (details.streamCode !== undefined &&
          RETRYABLE_CODES.has(details.streamCode)));
  }
}

/** HTTP 429: the shared budget for `endpoint` is spent until `retryAt`. */
export class StreamRateLimitError extends StreamHttpError {
  override readonly code = 'stream_rate_limited';
  /** Epoch ms before which another call to this endpoint will fail. */
  readonly retryAt: number;

  constructor(
    endpoint: StreamEndpoint,
    details: StreamHttpErrorDetails & { readonly retryAt: number },
  ) {
    super(endpoint, details);
    this.retryAt = details.retryAt;
  }
}

/** No (complete) answer within the configured time. */
export class StreamTimeoutError extends StreamError {
  readonly code = 'stream_timeout';
  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(
    endpoint: StreamEndpoint,
    timeoutMs: number,
    phase: 'response' | 'body',
    options?: { cause?: unknown },
  ) {
    const what = phase === 'response' ? 'no response' : 'body stalled';
    super(
      endpoint,
      `Stream ${endpoint} timed out: ${what} within ${timeoutMs} ms`,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed: refused, reset, DNS, TLS, cut mid-body. */
export class StreamNetworkError extends StreamError {
  readonly code = 'stream_network_error';
  readonly retryable = true;
  /** System or undici error code when known, e.g. `ECONNRESET`. */
  readonly networkCode: string | undefined;

  constructor(
    endpoint: StreamEndpoint,
    networkCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    const suffix = networkCode ? ` (${networkCode})` : '';
    super(
      endpoint,
      `Stream ${endpoint} failed: network error${suffix}`,
      options,
    );
    this.networkCode = networkCode;
  }
}

/**
 * A 2xx answer whose body is not JSON or lacks what we rely on. Retryable:
 * a proxy or a deploy in progress produces these, and another attempt
 * usually gets a proper answer.
 */
export class StreamResponseError extends StreamError {
  readonly code = 'stream_malformed_response';
  readonly retryable = true;
  readonly status: number;

  constructor(
    endpoint: StreamEndpoint,
    status: number,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      endpoint,
      `Stream ${endpoint} returned an unexpected body (HTTP ${status}): ${problem}`,
      options,
    );
    this.status = status;
  }
}

/**
 * The call was refused before anything was sent: an empty or oversized
 * batch, or an export URL that is not http(s). A bug in the caller (or in
 * what Stream returned), so another attempt cannot help.
 */
export class StreamUsageError extends StreamError {
  readonly code = 'stream_invalid_call';
  readonly retryable = false;
}

const PERMANENT_FILE_CODES = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'EISDIR',
  'ENOTDIR',
  'ENAMETOOLONG',
  'EINVAL',
]);

/** Writing a response to its destination file failed. */
export class StreamFileError extends StreamError {
  readonly code = 'stream_file_error';
  readonly retryable: boolean;
  readonly fsCode: string | undefined;

  constructor(
    endpoint: StreamEndpoint,
    fsCode: string | undefined,
    options?: { cause?: unknown },
  ) {
    const suffix = fsCode ? ` (${fsCode})` : '';
    super(
      endpoint,
      `Stream ${endpoint} response could not be written to disk${suffix}`,
      options,
    );
    this.fsCode = fsCode;
    this.retryable = fsCode === undefined || !PERMANENT_FILE_CODES.has(fsCode);
  }
}

/**
 * True when Stream says the thing asked about does not exist (HTTP 404 or
 * code 16). For erasure an id that no longer exists counts as erased.
 */
export function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof StreamHttpError &&
    (error.status === 404 || error.streamCode === 16)
  );
}

function describeHttpFailure(
  endpoint: StreamEndpoint,
  details: StreamHttpErrorDetails,
): string {
  const code =
    details.streamCode === undefined ? '' : `, code ${details.streamCode}`;
  const text = details.streamMessage ? `: ${details.streamMessage}` : '';
  return `Stream ${endpoint} failed: HTTP ${details.status}${code}${text}`;
}
