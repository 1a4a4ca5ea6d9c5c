import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { sendError } from './http-errors.js';

/**
 * Compares two secrets in constant time. Hashing both sides first gives
 * equal-length inputs to `timingSafeEqual`, so neither the content nor the
 * length of the expected secret leaks through timing.
 */
export function safeEqual(actual: string, expected: string): boolean {
  const a = createHash('sha256').update(actual).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** An `onRequest` hook admitting only `Authorization: Bearer <token>`. */
export function bearerAuth(token: string): Hook {
  return async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] !== undefined && safeEqual(match[1], token)) return;

    reply.header('WWW-Authenticate', 'Bearer');
    await sendError(reply, 401, {
      code: 'unauthorized',
      message: 'Send a valid API token as "Authorization: Bearer <token>".',
    });
  };
}

/** An `onRequest` hook admitting only HTTP basic auth with these credentials. */
export function basicAuth(user: string, password: string): Hook {
  return async (request, reply) => {
    const credentials = parseBasic(request.headers.authorization);
    // Both comparisons always run, so a right user name is not revealed by
    // a faster answer.
    const userOk = safeEqual(credentials?.user ?? '', user);
    const passwordOk = safeEqual(credentials?.password ?? '', password);
    if (credentials && userOk && passwordOk) return;

    reply.header(
      'WWW-Authenticate',
      'Basic realm="stream-gdpr", charset="UTF-8"',
    );
    await sendError(reply, 401, {
      code: 'unauthorized',
      message: 'The dashboard needs the configured user name and password.',
    });
  };
}

function parseBasic(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
