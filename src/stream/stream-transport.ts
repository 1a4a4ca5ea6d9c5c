import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import ky, { isTimeoutError, type KyInstance } from 'ky';

import type { Logger } from '../logging/logger.js';
import { STREAM_CLIENT_ID } from './client-version.js';
import { toHttpError } from './error-response.js';
import { parseRateLimit } from './rate-limit-headers.js';
import { readBody } from './response-body.js';
import { isErrorLike, safeCause, systemCode } from './scrub.js';
import type { ServerToken } from './server-token.js';
import {
  StreamError,
  StreamHttpError,
  StreamNetworkError,
  StreamTimeoutError,
} from './stream-errors.js';
import type {
  RateLimitInfo,
  StreamCallEvent,
  StreamEndpoint,
  StreamResponse,
} from './stream-types.js';

/** Error bodies are small; anything past this is not worth reading. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Client-side retries wait a random time in this range (ms). */
export const BLIP_RETRY_DELAY_MS = { min: 100, max: 400 } as const;

/** Statuses a proxy returns for a blip; the client retries reads on them. */
const BLIP_STATUSES = new Set([502, 503, 504]);

/** A call to Stream's API: our base URL, our credentials and headers. */
export interface ApiRequest {
  readonly kind: 'api';
  readonly method: 'get' | 'post';
  /** Relative to the base URL, no leading slash, segments encoded. */
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string>>;
  readonly json?: unknown;
}

/** A bare GET of a URL Stream handed us; nothing of ours is attached. */
export interface PlainRequest {
  readonly kind: 'plain';
  /** Sent exactly as Stream gave it: it carries the signature. */
  readonly url: string;
}

export interface CallSpec<T> {
  readonly endpoint: StreamEndpoint;
  readonly request: ApiRequest | PlainRequest;
  /** True only for idempotent reads; see the retry rule in stream-client. */
  readonly retryOnBlip: boolean;
  /** Ids sent in the call, scrubbed from any text we keep. */
  readonly terms: readonly string[];
  /** Consumes a 2xx body; throws a StreamError when it is unusable. */
  readonly read: (response: Response) => Promise<T>;
}

export interface TransportOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly token: ServerToken;
  readonly getRetries: number;
  readonly logger: Logger | undefined;
  readonly onCall: ((event: StreamCallEvent) => void) | undefined;
}

/**
 * Sends one logical call: attempts, timing, rate-limit headers, the
 * `onCall` event and the debug line per attempt, error mapping, and the
 * client-side retry of idempotent reads on network blips.
 */
export class StreamTransport {
  readonly #options: TransportOptions;
  readonly #api: KyInstance;
  readonly #plain: KyInstance;

  constructor(options: TransportOptions) {
    this.#options = options;
    const common = {
      retry: 0,
      timeout: options.timeoutMs,
      throwHttpErrors: false,
      // Node's global fetch pools keep-alive connections per origin.
      fetch: globalThis.fetch.bind(globalThis),
    } as const;
    this.#api = ky.create({
      ...common,
      prefixUrl: options.baseUrl,
      // Stream's API does not redirect, and following one would send our
      // api_key and headers wherever it points; a 3xx becomes a permanent
      // StreamHttpError instead.
      redirect: 'manual',
      headers: {
        'stream-auth-type': 'jwt',
        'X-Stream-Client': STREAM_CLIENT_ID,
      },
    });
    this.#plain = ky.create(common);
  }

  /** Runs the call, retrying blips when `spec.retryOnBlip` allows. */
  async call<T>(spec: CallSpec<T>): Promise<StreamResponse<T>> {
    const retries = spec.retryOnBlip ? this.#options.getRetries : 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#attempt(spec, attempt);
      } catch (error) {
        if (attempt > retries || !isBlip(error)) throw error;
        this.#options.logger?.debug(
          { endpoint: spec.endpoint, attempt, errCode: codeOf(error) },
          'Retrying Stream call after a network blip',
        );
        const { min, max } = BLIP_RETRY_DELAY_MS;
        await sleep(min + Math.random() * (max - min));
      }
    }
  }

  async #attempt<T>(
    spec: CallSpec<T>,
    attempt: number,
  ): Promise<StreamResponse<T>> {
    const clientRequestId = randomUUID();
    const started = performance.now();
    let status = 0;
    let rateLimit: RateLimitInfo | undefined;
    let failure: unknown;
    try {
      const response = await this.#send(spec.request, clientRequestId);
      status = response.status;
      rateLimit = parseRateLimit(response.headers);
      if (!response.ok) {
        const { bytes } = await readBody(response, {
          endpoint: spec.endpoint,
          idleTimeoutMs: this.#options.timeoutMs,
          maxBytes: MAX_ERROR_BODY_BYTES,
        });
        throw toHttpError({
          endpoint: spec.endpoint,
          status,
          headers: response.headers,
          body: bytes,
          rateLimit,
          clientRequestId,
          terms: spec.terms,
        });
      }
      const data = await spec.read(response);
      return { data, status, endpoint: spec.endpoint, rateLimit };
    } catch (error) {
      failure = toStreamError(error, spec, this.#options.timeoutMs);
      throw failure;
    } finally {
      const durationMs = Math.round(performance.now() - started);
      this.#report({ endpoint: spec.endpoint, status, durationMs, rateLimit });
      this.#options.logger?.debug(
        {
          endpoint: spec.endpoint,
          status,
          durationMs,
          clientRequestId,
          attempt,
          ...(failure === undefined ? {} : { errCode: codeOf(failure) }),
        },
        failure === undefined ? 'Stream call succeeded' : 'Stream call failed',
      );
    }
  }

  async #send(
    request: ApiRequest | PlainRequest,
    clientRequestId: string,
  ): Promise<Response> {
    if (request.kind === 'plain') return this.#plain.get(request.url);
    const token = await this.#options.token.get();
    return this.#api(request.path, {
      method: request.method,
      searchParams: { ...request.searchParams, api_key: this.#options.apiKey },
      headers: { Authorization: token, 'x-client-request-id': clientRequestId },
      ...(request.json === undefined ? {} : { json: request.json }),
    });
  }

  #report(event: StreamCallEvent): void {
    try {
      this.#options.onCall?.(event);
    } catch (error) {
      // An observer must never turn a good call into a failed one.
      this.#options.logger?.warn(
        { endpoint: event.endpoint, errCode: codeOf(error) },
        'Stream onCall observer threw',
      );
    }
  }
}

/** Network errors, timeouts and proxy 502/503/504 are blips. */
function isBlip(error: unknown): boolean {
  if (error instanceof StreamNetworkError) return true;
  if (error instanceof StreamTimeoutError) return true;
  return (
    error instanceof StreamHttpError &&
    !error.unrecoverable &&
    BLIP_STATUSES.has(error.status)
  );
}

/**
 * Maps whatever the HTTP stack threw onto our errors. Anything that is
 * neither a timeout nor a network failure is a bug and is rethrown as is.
 */
function toStreamError(
  error: unknown,
  spec: CallSpec<unknown>,
  timeoutMs: number,
): unknown {
  if (error instanceof StreamError) return error;
  const cause = safeCause(error, spec.terms);
  if (isTimeoutError(error) || isAbort(error)) {
    return new StreamTimeoutError(spec.endpoint, timeoutMs, 'response', {
      cause,
    });
  }
  if (
    (isErrorLike(error) && error.name === 'TypeError') ||
    systemCode(error) !== undefined
  ) {
    return new StreamNetworkError(spec.endpoint, innermostCode(error), {
      cause,
    });
  }
  return error;
}

function isAbort(error: unknown): boolean {
  return (
    isErrorLike(error) &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

function innermostCode(error: unknown): string | undefined {
  let found: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isErrorLike(current); depth += 1) {
    found = systemCode(current) ?? found;
    current = current.cause;
  }
  return found;
}

function codeOf(error: unknown): string {
  if (error instanceof StreamError) return error.code;
  return isErrorLike(error) ? error.name : 'unknown';
}
