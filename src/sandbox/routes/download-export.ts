import type { Reply, RouteHandler } from '../context.js';

const DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>\n';

/**
 * GET /exports/users/{file}: a pre-signed download, so no Stream auth and
 * no rate-limit headers. A wrong, missing or expired signature gets 403
 * with an XML body, as an object store answers.
 */
export const downloadExport: RouteHandler = (ctx, req): Reply => {
  const content = ctx.exports.open(
    req.params[0] ?? '',
    req.query.get('Expires'),
    req.query.get('Signature'),
  );
  if (content === undefined) {
    return {
      kind: 'text',
      status: 403,
      contentType: 'application/xml',
      text: DENIED,
    };
  }

  return {
    kind: 'text',
    status: 200,
    contentType: 'application/x-ndjson',
    text: content,
  };
};
