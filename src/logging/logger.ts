import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino replaces with the censor string before a line is written.
 * Credentials first, then the fields that hold data subjects' identifiers
 * or contact data, should any caller ever log an object carrying them.
 */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'apiSecret',
  '*.apiSecret',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'password',
  '*.password',
  'email',
  '*.email',
  'userId',
  '*.userId',
  'userIds',
  '*.userIds',
  'user_ids',
  '*.user_ids',
  'channelCids',
  '*.channelCids',
  'cids',
  '*.cids',
  'subjects',
  '*.subjects',
] as const;

export const CENSOR = '[redacted]';

export interface LoggerOptions {
  readonly level: string;
  readonly pretty?: boolean;
  /** Where lines go; stdout when omitted. Tests pass a capturing stream. */
  readonly destination?: DestinationStream;
  /** Fields bound to every line, e.g. `{ service: 'worker' }`. */
  readonly base?: Record<string, unknown>;
}

/**
 * Creates the process's root logger. Everything else takes a child of it
 * (`logger.child({ requestId, jobId, queue, attempt })`), so every line says
 * which request it is about without carrying the request's contents.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level,
    base: { service: 'stream-gdpr', ...options.base },
    redact: { paths: [...REDACTED_PATHS], censor: CENSOR },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(config, options.destination);
  if (options.pretty) {
    return pino({
      ...config,
      transport: { target: 'pino-pretty', options: { colorize: true } },
    });
  }
  return pino(config);
}
