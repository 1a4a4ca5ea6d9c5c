import { createLogger, type Logger } from '../../src/logging/logger.js';

/** A real pino logger whose every line is kept for assertions and scans. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Raw lines as pino wrote them (JSON text). */
  readonly lines: readonly string[];
  /** Lines parsed as JSON objects. */
  records(): Record<string, unknown>[];
}

/** Creates a logger at `level` that writes into memory. */
export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const destination = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line !== '') lines.push(line);
    },
  };
  return {
    logger: createLogger({ level, destination }),
    lines,
    records: () =>
      lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
