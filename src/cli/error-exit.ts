import { GdprError } from '../errors/gdpr-error.js';
import { InputError } from '../errors/input-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** The flags that feed each library input field. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  userIds: '--user/--users-file',
  channelCids: '--channel/--channels-file',
  requestId: '--request-id',
  receivedAt: '--received-at',
  mode: '--mode',
  newChannelOwnerId: '--new-channel-owner',
  deleteFiles: '--delete-files',
};

/** Codes of our errors that mean the caller must change the input. */
const BAD_INPUT_CODES = new Set([
  'invalid_input',
  'invalid_config',
  'invalid_usage',
  'request_conflict',
  'request_not_found',
  'startup_refused',
]);

/** Codes of our errors that mean a dependency was unreachable. */
const UNREACHABLE_CODES = new Set([
  'redis_unavailable',
  'unreachable',
  'stream_network_error',
  'stream_timeout',
]);

/** Node and ioredis error codes of a connection that did not happen. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Maps anything a command threw to the exit code the contract promises.
 * Matches on `code` rather than classes so it also holds for errors from a
 * second copy of the package.
 */
export function exitCodeFor(error: unknown): ExitCode {
  const code = codeOf(error);
  if (code !== undefined && BAD_INPUT_CODES.has(code)) return EXIT.badInput;
  if (code === 'EADDRINUSE' || code === 'EACCES') return EXIT.badInput;
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return EXIT.unreachable;
  }
  if (code !== undefined && NETWORK_CODES.has(code)) return EXIT.unreachable;
  if (isRedisConnectionError(error)) return EXIT.unreachable;
  return EXIT.requestFailed;
}

/**
 * The text printed on stderr for an error: its message, without a stack.
 * Errors we did not anticipate say so, so they are not mistaken for a
 * verdict on the request.
 */
export function describeError(error: unknown): string {
  if (error instanceof InputError) return describeInputError(error);
  if (codeOf(error) === 'EADDRINUSE') {
    return 'The HTTP port is already in use: set HTTP_PORT to a free port.';
  }
  if (codeOf(error) === 'redis_unavailable') {
    return `${(error as Error).message} (check REDIS_URL and that Redis is running)`;
  }
  if (error instanceof GdprError) return error.message;
  if (isRedisConnectionError(error)) {
    return 'Cannot reach Redis: check REDIS_URL and that Redis is running.';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${message}`;
}

/**
 * Lists the library's issues under the flags the user typed. Positions are
 * counted over all ids given, flags first, then files in order.
 */
function describeInputError(error: InputError): string {
  const lines = error.issues.slice(0, 10).map((issue) => {
    const [head, ...rest] = issue.field.split('.');
    const flag = head === undefined ? undefined : FLAG_OF_FIELD[head];
    const index = rest[0];
    const position =
      index !== undefined && /^\d+$/.test(index)
        ? ` (id #${Number(index) + 1})`
        : '';
    const where = flag ? `${flag}${position}` : issue.field || 'input';
    return `  - ${where}: ${issue.message}`;
  });
  const more =
    error.issues.length > 10
      ? [`  (and ${error.issues.length - 10} more)`]
      : [];
  return ['Invalid input:', ...lines, ...more].join('\n');
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isRedisConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    (code !== undefined && NETWORK_CODES.has(code)) ||
    /Connection is closed|Stream isn't writeable/.test(error.message)
  );
}
