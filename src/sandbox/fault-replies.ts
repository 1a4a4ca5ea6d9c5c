import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  errorBody,
  inputError,
  internalError,
  rateLimitError,
} from './errors.js';
import { duration, send, sendJson } from './http-io.js';
import { type RateDecision, rateLimitHeaders } from './rate-limiter.js';
import type { FaultKind } from './sandbox-types.js';

const BAD_GATEWAY =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

export interface FaultTarget {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** 201 for POSTs, 200 for GETs: what a success would have sent. */
  readonly okStatus: number;
  readonly method: string;
  readonly startedMs: number;
  /** The endpoint's window, when it sends rate-limit headers. */
  readonly rate: RateDecision | undefined;
}

/**
 * Answers a call with a fault instead of running it; nothing the call
 * would have changed has changed. Returns the status sent, 0 when none
 * was (`hang`, `reset`).
 *
 * Only the plain-text 429 carries `Retry-After` (1 s): it stands for the
 * edge layer, which sends no `X-RateLimit-*` headers. JSON 429s carry the
 * `X-RateLimit-*` headers and no `Retry-After`, as the reference's sources
 * only confirm the former.
 */
export function replyWithFault(kind: FaultKind, target: FaultTarget): number {
  const { req, res, okStatus, startedMs } = target;
  const rate = target.rate ? rateLimitHeaders(target.rate) : {};
  switch (kind) {
    case 'http400':
      sendJson(
        res,
        400,
        errorBody(
          inputError(target.method, {
            user_ids: 'refused by a scripted fault',
          }),
          duration(startedMs),
        ),
        rate,
      );
      return 400;
    case 'http500':
      sendJson(
        res,
        500,
        errorBody(internalError(target.method), duration(startedMs)),
        rate,
      );
      return 500;
    case 'http502Html':
      send(res, 502, 'text/html', BAD_GATEWAY);
      return 502;
    case 'http429Json': {
      const headers = target.rate
        ? rateLimitHeaders({ ...target.rate, remaining: 0 })
        : {};
      sendJson(
        res,
        429,
        errorBody(rateLimitError(target.method), duration(startedMs)),
        headers,
      );
      return 429;
    }

    case 'http429Text':
      send(res, 429, 'text/plain; charset=utf-8', 'Too Many Requests\n', {
        'Retry-After': '1',
      });
      return 429;
    case 'hang':
      // Left open on purpose; close() destroys the socket.
      return 0;
    case 'reset':
      req.socket.destroy();
      return 0;
    case 'malformedJson':
      send(
        res,
        okStatus,
        'application/json; charset=utf-8',
        '{"duration":"0.42ms","task_',
        rate,
      );
      return okStatus;
    case 'wrongShape':
      sendJson(res, okStatus, { duration: duration(startedMs) }, rate);
      return okStatus;
  }
}
