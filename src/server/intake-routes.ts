import type { FastifyInstance, FastifyReply } from 'fastify';

import { InputError } from '../errors/input-error.js';
import type {
  EnqueueResult,
  ErasureRequestInput,
  ExportRequestInput,
  GdprClient,
} from '../requests/gdpr-client-types.js';

/**
 * The intake API. Bodies go to the library as they are: its
 * schemas refuse unknown keys and name every field at fault, so HTTP
 * callers get exactly the rules library callers get.
 */
export function registerIntakeRoutes(
  app: FastifyInstance,
  client: GdprClient,
): void {
  app.post('/v1/erasure-requests', async (request, reply) => {
    const input = jsonObject<ErasureRequestInput>(request.body);
    return accepted(reply, await client.requestErasure(input));
  });

  app.post('/v1/export-requests', async (request, reply) => {
    const input = jsonObject<ExportRequestInput>(request.body);
    return accepted(reply, await client.requestExport(input));
  });
}

/** 202 for a new request, 200 when the same request was already there. */
function accepted(reply: FastifyReply, result: EnqueueResult) {
  return reply
    .code(result.created ? 202 : 200)
    .header('Location', `/v1/requests/${encodeURIComponent(result.requestId)}`)
    .send(result.record);
}

/** Only the shape is checked here; the library validates the content. */
function jsonObject<T>(body: unknown): T {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    return body as T;
  }
  throw new InputError([
    { field: '', message: 'expected a JSON object as the request body' },
  ]);
}
