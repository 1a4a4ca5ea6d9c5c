import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import { GdprError } from '../errors/gdpr-error.js';
import type { InputIssue } from '../errors/input-error.js';

/** The JSON body of every error the HTTP API answers with. */
export interface ErrorBody {
  /** Stable and machine-readable; clients branch on it. */
  readonly code: string;
  /** For humans; never a stack trace, never personal data. */
  readonly message: string;
  readonly issues?: readonly InputIssue[];
}

/** Our typed errors by `code`, and the HTTP status each one answers with. */
const STATUS_BY_GDPR_CODE: Readonly<Record<string, number>> = {
  invalid_input: 400,
  request_conflict: 409,
  redis_unavailable: 503,
};

/** Fastify's own failures before a handler runs. */
const FASTIFY_ERRORS: Readonly<Record<string, ErrorBody & { status: number }>> =
  {
    FST_ERR_CTP_BODY_TOO_LARGE: {
      status: 413,
      code: 'payload_too_large',
      message: 'The request body exceeds HTTP_BODY_LIMIT_BYTES.',
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      status: 415,
      code: 'unsupported_media_type',
      message: 'Send the body as application/json.',
    },
    FST_ERR_CTP_INVALID_JSON_BODY: {
      status: 400,
      code: 'invalid_json',
      message:
        'The body is not valid JSON, or it holds a forbidden key such as __proto__ or constructor.',
    },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      status: 400,
      code: 'invalid_json',
      message: 'The body is empty; send a JSON object.',
    },
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
      status: 400,
      code: 'bad_request',
      message: 'The Content-Length header does not match the body.',
    },
  };

/** Sends one error body; the only way routes answer with an error. */
export async function sendError(
  reply: FastifyReply,
  status: number,
  body: ErrorBody,
): Promise<void> {
  await reply.code(status).type('application/json').send(body);
}

/** Maps anything thrown to a status and a safe body. */
export function toHttpError(error: unknown): ErrorBody & { status: number } {
  if (error instanceof GdprError) {
    const status =
      STATUS_BY_GDPR_CODE[error.code] ?? (error.retryable ? 503 : 500);
    const issues =
      'issues' in error && Array.isArray(error.issues)
        ? { issues: error.issues as readonly InputIssue[] }
        : {};
    return { status, code: error.code, message: error.message, ...issues };
  }

  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code
    ? FASTIFY_ERRORS[fastifyError.code]
    : undefined;
  if (known) return known;

  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return {
      status,
      code: 'bad_request',
      message: 'The request is malformed.',
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    message: 'Something went wrong on our side; the error is logged.',
  };
}

/**
 * The server's error handler: logs what is ours to fix and answers with
 * `{ code, message, issues? }`. Messages of our typed errors are written
 * without personal data, so they may be returned as they are.
 */
export function errorHandler(logger: Logger) {
  return async (
    error: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> => {
    const { status, ...body } = toHttpError(error);
    if (status >= 500) {
      logger.error(
        { err: error, method: request.method, route: request.routeOptions.url },
        'HTTP request failed',
      );
    }
    await sendError(reply, status, body);
  };
}

/** Answers unknown routes in the same shape as every other error. */
export async function notFound(
  _request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  await sendError(reply, 404, {
    code: 'not_found',
    message: 'No such route.',
  });
}
