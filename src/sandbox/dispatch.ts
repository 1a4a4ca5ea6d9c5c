import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from 'pino';

import type { Authenticator } from './auth.js';
import type { SandboxContext } from './context.js';
import {
  errorBody,
  inputError,
  internalError,
  rateLimitError,
  StreamApiError,
} from './errors.js';
import { replyWithFault } from './fault-replies.js';
import type { Faults } from './faults.js';
import { delay, duration, readBody, send, sendJson } from './http-io.js';
import {
  type RateDecision,
  type RateLimiter,
  rateLimitHeaders,
} from './rate-limiter.js';
import { matchRoute, type RouteMatch } from './router.js';
import type {
  FaultKind,
  SandboxCall,
  SandboxEndpoint,
} from './sandbox-types.js';

export interface Dispatcher {
  readonly ctx: SandboxContext;
  readonly auth: Authenticator;
  readonly faults: Faults;
  readonly limiter: RateLimiter;
  /** Undefined when calls are not recorded (`recordCalls: false`). */
  readonly record: ((call: SandboxCall) => void) | undefined;
  readonly adminState: () => Record<string, unknown>;
  readonly logger: Logger | undefined;
}

interface Outcome {
  readonly status: number;
  readonly fault?: FaultKind;
}

/**
 * One call through the pipeline: route, latency, fault, auth, rate limit,
 * handler. Faults come before everything else so that a faulted call
 * changes nothing, whatever its kind.
 */
export async function dispatch(
  d: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startedMs = performance.now();
  const at = Date.now();
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const method = req.method ?? 'GET';
  const text = await readBody(req);

  if (url.pathname === '/_sandbox/state') {
    if (method === 'GET') sendJson(res, 200, d.adminState());
    else send(res, 405, 'text/plain', 'read-only\n', { Allow: 'GET' });
    return;
  }

  const match = matchRoute(method, url.pathname);
  const endpoint: SandboxEndpoint | 'unknown' =
    match?.route.endpoint ?? 'unknown';
  const outcome =
    match === undefined
      ? unknownRoute(res, startedMs)
      : await answer(d, match, { req, res, url, text, startedMs });

  d.record?.({
    endpoint,
    method,
    path: url.pathname,
    status: outcome.status,
    at,
    body: parseLeniently(text),
    query: Object.fromEntries(url.searchParams),
    headers: { ...req.headers },
    ...(outcome.fault === undefined ? {} : { fault: outcome.fault }),
  });
  d.logger?.debug(
    { endpoint, status: outcome.status, fault: outcome.fault },
    'sandbox answered a call',
  );
}

interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly text: string;
  readonly startedMs: number;
}

async function answer(
  d: Dispatcher,
  match: RouteMatch,
  call: Call,
): Promise<Outcome> {
  const { route } = match;
  const { req, res, url, startedMs } = call;
  await delay(d.faults.latencyMs);

  const limited = d.limiter.applies(route.endpoint);
  const fault = d.faults.next(route.endpoint);
  if (fault !== undefined) {
    const status = replyWithFault(fault, {
      req,
      res,
      okStatus: route.method === 'POST' ? 201 : 200,
      method: route.endpoint,
      startedMs,
      rate: limited ? d.limiter.current(route.endpoint) : undefined,
    });
    return { status, fault };
  }

  let rate: RateDecision | undefined;
  try {
    if (route.auth) {
      await d.auth.check({
        apiKey: url.searchParams.get('api_key') ?? undefined,
        authType: header(req, 'stream-auth-type'),
        authorization: header(req, 'authorization'),
      });
    }

    if (limited) {
      rate = d.limiter.take(route.endpoint);
      if (!rate.allowed) throw rateLimitError(route.endpoint);
    }

    const body = route.jsonBody
      ? parseJson(route.endpoint, call.text)
      : undefined;
    const reply = route.handler(d.ctx, {
      params: match.params,
      query: url.searchParams,
      body,
    });
    const headers = rateHeaders(d, route.endpoint, rate, limited);
    if (reply.kind === 'text') {
      send(res, reply.status, reply.contentType, reply.text, headers);
    } else {
      sendJson(
        res,
        reply.status,
        { ...reply.body, duration: duration(startedMs) },
        headers,
      );
    }

    return { status: reply.status };
  } catch (error) {
    const apiError =
      error instanceof StreamApiError ? error : internalError(route.endpoint);
    if (!(error instanceof StreamApiError)) {
      d.logger?.error(
        { err: error, endpoint: route.endpoint },
        'sandbox route failed',
      );
    }

    const headers = rateHeaders(d, route.endpoint, rate, limited);
    sendJson(
      res,
      apiError.status,
      errorBody(apiError, duration(startedMs)),
      headers,
    );
    return { status: apiError.status };
  }
}

function rateHeaders(
  d: Dispatcher,
  endpoint: SandboxEndpoint,
  rate: RateDecision | undefined,
  limited: boolean,
): Record<string, string> {
  if (!limited) return {};
  return rateLimitHeaders(rate ?? d.limiter.current(endpoint));
}

function unknownRoute(res: ServerResponse, startedMs: number): Outcome {
  const error = new StreamApiError(404, 16, 'route not found');
  sendJson(res, 404, errorBody(error, duration(startedMs)));
  return { status: 404 };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(endpoint: string, text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw inputError(endpoint, { body: 'is not valid JSON' });
  }
}

function parseLeniently(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
