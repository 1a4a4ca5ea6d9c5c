import { json, type Reply, type RouteHandler } from '../context.js';
import { inputError } from '../errors.js';
import { matches, onlyFields, readCondition } from '../filters.js';
import { userResponse } from '../serializers.js';
import type { UserRecord } from '../store.js';
import { bodyObject, optionalInt } from '../validation.js';

const METHOD = 'QueryUsers';

/**
 * GET /users?payload=<json> (reference §9). Filters on `id` only; users
 * flagged deleted in any mode are never listed. Sorted newest first, then
 * by id descending, Stream's default; `sort` on `id`/`created_at` works.
 */
export const queryUsers: RouteHandler = (ctx, req): Reply => {
  const payload = parsePayload(req.query.get('payload'));
  const filter = payload['filter_conditions'];
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw inputError(METHOD, { filter_conditions: 'is a required field' });
  }

  const conditions = filter as Record<string, unknown>;
  onlyFields(METHOD, conditions, ['id']);
  const id = readCondition(METHOD, conditions, 'id');
  const limit = optionalInt(METHOD, payload, 'limit', 0, 100) || 30;
  const offset = optionalInt(METHOD, payload, 'offset', 0, 1000) ?? 0;

  // An $in list is looked up directly so 10,000 seeded users cost nothing.
  const candidates =
    id === undefined
      ? [...ctx.store.users.values()]
      : [...id.in].flatMap((userId) => {
          const user = ctx.store.users.get(userId);
          return user === undefined ? [] : [user];
        });
  const users = candidates
    .filter((user) => user.deletedAt === undefined && matches(id, user.id))
    .sort(comparator(payload['sort']))
    .slice(offset, offset + limit)
    .map(userResponse);
  return json(200, { users });
};

function parsePayload(raw: string | null): Record<string, unknown> {
  if (raw === null) {
    throw inputError(METHOD, { payload: 'is a required query parameter' });
  }

  try {
    return bodyObject(METHOD, JSON.parse(raw));
  } catch {
    throw inputError(METHOD, { payload: 'must be a JSON object' });
  }
}

type Compare = (a: UserRecord, b: UserRecord) => number;

function comparator(sort: unknown): Compare {
  const first = Array.isArray(sort) ? (sort[0] as unknown) : undefined;
  if (typeof first === 'object' && first !== null) {
    const { field, direction } = first as Record<string, unknown>;
    const sign = direction === -1 ? -1 : 1;
    if (field === 'id') return (a, b) => sign * a.id.localeCompare(b.id);
    if (field === 'created_at') {
      return (a, b) => sign * a.createdAt.localeCompare(b.createdAt);
    }
  }

  return (a, b) =>
    b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}
