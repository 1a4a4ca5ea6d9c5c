import { inputError } from './errors.js';

/** The request body as an object, or 400 code 4. */
export function bodyObject(
  method: string,
  body: unknown,
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw inputError(method, { body: 'must be a JSON object' });
  }

  return body as Record<string, unknown>;
}

/** A required list of 1..max non-empty strings. */
export function idList(
  method: string,
  body: Record<string, unknown>,
  field: string,
  max: number,
): string[] {
  const value = body[field];
  if (value === undefined || value === null) {
    throw inputError(method, { [field]: 'is a required field' });
  }

  if (!Array.isArray(value)) {
    throw inputError(method, { [field]: 'must be an array' });
  }

  if (value.length === 0) {
    throw inputError(method, { [field]: 'must contain at least 1 item' });
  }

  if (value.length > max) {
    throw inputError(method, {
      [field]: `must contain at most ${max} items`,
    });
  }

  if (!value.every((id) => typeof id === 'string' && id !== '')) {
    throw inputError(method, { [field]: 'must hold non-empty strings' });
  }

  return value as string[];
}

/**
 * An optional enum field. `null` and `""` mean "not set" where Stream
 * allows it (`messages`, `conversations` of Delete Users).
 */
export function enumField<T extends string>(
  method: string,
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  emptyAllowed: boolean,
): T | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (emptyAllowed && (value === null || value === '')) return undefined;
  if (
    typeof value === 'string' &&
    (allowed as readonly string[]).includes(value)
  ) {
    return value as T;
  }

  throw inputError(method, {
    [field]: `must be one of [${allowed.join(' ')}]`,
  });
}

export function optionalString(
  method: string,
  body: Record<string, unknown>,
  field: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  throw inputError(method, { [field]: 'must be a string' });
}

export function optionalBoolean(
  method: string,
  body: Record<string, unknown>,
  field: string,
): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  throw inputError(method, { [field]: 'must be a boolean' });
}

/** An optional integer in [min, max]. */
export function optionalInt(
  method: string,
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
  ) {
    return value;
  }

  throw inputError(method, {
    [field]: `must be an integer from ${min} to ${max}`,
  });
}
