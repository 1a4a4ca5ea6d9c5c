import type { IncomingMessage, ServerResponse } from 'node:http';

/** Stream's `duration` field: time spent on the call, e.g. "1.87ms". */
export function duration(startedMs: number): string {
  return `${(performance.now() - startedMs).toFixed(2)}ms`;
}

/** The raw request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  send(
    res,
    status,
    'application/json; charset=utf-8',
    JSON.stringify(body),
    headers,
  );
}

/** Resolves after `ms`; at once for 0. */
export function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
