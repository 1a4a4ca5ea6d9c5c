import { inputError } from './errors.js';

/** A field condition the sandbox can evaluate: equality or `$in`. */
export type Condition = { readonly in: ReadonlySet<string> } | undefined;

/**
 * Reads `field: value`, `field: {$eq: value}` or `field: {$in: [...]}`
 * from a filter; undefined when the field is absent. Anything else is a
 * 400 code 4, so a test never passes on a filter the sandbox ignored.
 */
export function readCondition(
  method: string,
  filter: Record<string, unknown>,
  field: string,
): Condition {
  const value = filter[field];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { in: new Set([value]) };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const operators = value as Record<string, unknown>;
    const keys = Object.keys(operators);
    const eq = operators['$eq'];
    const list = operators['$in'];
    if (keys.length === 1 && typeof eq === 'string') {
      return { in: new Set([eq]) };
    }

    if (
      keys.length === 1 &&
      Array.isArray(list) &&
      list.every((item) => typeof item === 'string')
    ) {
      return { in: new Set(list as string[]) };
    }
  }

  throw inputError(method, {
    [`filter_conditions.${field}`]: 'supports a string, $eq or $in only',
  });
}

/** Refuses filter fields the sandbox does not evaluate. */
export function onlyFields(
  method: string,
  filter: Record<string, unknown>,
  fields: readonly string[],
): void {
  for (const key of Object.keys(filter)) {
    if (!fields.includes(key)) {
      throw inputError(method, {
        [`filter_conditions.${key}`]: 'is not supported by the sandbox',
      });
    }
  }
}

export function matches(condition: Condition, value: string): boolean {
  return condition === undefined || condition.in.has(value);
}
