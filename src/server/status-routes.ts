import type { FastifyInstance } from 'fastify';

import { InputError } from '../errors/input-error.js';
import type { GdprClient } from '../requests/gdpr-client-types.js';
import { isValidRequestId, REQUEST_ID_RULE } from '../requests/request-id.js';

/**
 * `GET /v1/requests/:id`: the request's record, as `getRequest` returns it.
 * `?subjectLimit=N` caps each subject list (a progress display polling a
 * request of a million ids passes 0).
 */
export function registerStatusRoutes(
  app: FastifyInstance,
  client: GdprClient,
): void {
  app.get<{ Params: { id: string }; Querystring: { subjectLimit?: string } }>(
    '/v1/requests/:id',
    async (request, reply) => {
      const { id } = request.params;
      if (!isValidRequestId(id)) {
        throw new InputError([{ field: 'id', message: REQUEST_ID_RULE }]);
      }
      const limit = parseLimit(request.query.subjectLimit);

      const record = await client.getRequest(
        id,
        limit === undefined ? {} : { subjectLimit: limit },
      );
      if (record) return record;
      return reply.code(404).send({
        code: 'request_not_found',
        message: 'No request has this id (or its record has expired).',
      });
    },
  );
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  throw new InputError([
    { field: 'subjectLimit', message: 'expected a whole number from 0' },
  ]);
}
