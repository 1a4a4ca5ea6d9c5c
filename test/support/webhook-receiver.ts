import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly headers: Record<string, unknown>;
  readonly body: string;
}

export interface WebhookReceiver {
  readonly url: string;
  /** Every delivery so far, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  close(): Promise<void>;
}

/** A local endpoint that answers 204 and keeps every delivery. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/gdpr`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
