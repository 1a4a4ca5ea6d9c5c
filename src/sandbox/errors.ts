/**
 * Stream's error responses as the sandbox sends them (reference §10): the
 * JSON body carries `code`, `message`, `exception_fields`, `StatusCode`,
 * `duration` and `more_info`.
 */

const MORE_INFO = 'https://getstream.io/chat/docs/api_errors_response';

/** A Stream API error a route handler throws; the server renders it. */
export class StreamApiError extends Error {
  override readonly name = 'StreamApiError';
  readonly status: number;
  readonly code: number;
  readonly exceptionFields: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: number,
    message: string,
    exceptionFields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.exceptionFields = exceptionFields;
  }
}

/** 400 code 4, naming each field at fault and why. */
export function inputError(
  method: string,
  fields: Readonly<Record<string, string>>,
): StreamApiError {
  const reasons = Object.entries(fields)
    .map(([field, reason]) => `${field} ${reason}`)
    .join(', ');
  return new StreamApiError(
    400,
    4,
    `${method} failed with error: "${reasons}"`,
    fields,
  );
}

/** 404 code 16. */
export function notFoundError(method: string, what: string): StreamApiError {
  return new StreamApiError(404, 16, `${method} failed with error: "${what}"`);
}

/** 401 with one of the auth codes (2, 5, 40–43). */
export function authError(code: number, message: string): StreamApiError {
  return new StreamApiError(401, code, message);
}

export function rateLimitError(method: string): StreamApiError {
  return new StreamApiError(
    429,
    9,
    `${method} failed with error: "Too many requests, check response headers for more information."`,
  );
}

export function internalError(method: string): StreamApiError {
  return new StreamApiError(
    500,
    -1,
    `${method} failed with error: "internal system error"`,
  );
}

/** The JSON body Stream sends with an error. */
export function errorBody(
  error: StreamApiError,
  duration: string,
): Record<string, unknown> {
  return {
    code: error.code,
    message: error.message,
    exception_fields: error.exceptionFields,
    StatusCode: error.status,
    duration,
    more_info: MORE_INFO,
    details: [],
  };
}
