import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readdir, readFile, stat } from 'node:fs/promises';
import {
  createServer,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import {
  StreamHttpError,
  StreamResponseError,
  StreamTimeoutError,
  StreamUsageError,
} from '../../src/stream/stream-errors.js';
import {
  finishedTask,
  type Harness,
  rejectionOf,
  startHarness,
  USERS,
} from './support.js';

/** Runs an export task to completion and returns its signed file URL. */
async function exportUrl(h: Harness, ids: readonly string[]): Promise<string> {
  const submitted = await h.client.exportUsers(ids);
  const task = await finishedTask(h.client, submitted.data.taskId);
  const url = task.result?.['url'];
  if (typeof url !== 'string') throw new Error('export task has no url');
  return url;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('StreamClient export downloads', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
  });

  afterEach(async () => {
    await h.close();
  });

  it('streams the export file to a 0600 file with its sha256, without our credentials', async () => {
    const url = await exportUrl(h, [USERS[0], USERS[1]]);
    expect(url).toContain('/exports/users/');
    const destination = join(h.dir, 'export.ndjson');
    const response = await h.client.downloadExport(url, destination);

    const content = await readFile(destination);
    expect(response.data).toEqual({
      path: destination,
      bytes: content.length,
      sha256: sha256(content),
    });
    expect((await stat(destination)).mode & 0o777).toBe(0o600);
    const lines = content.toString('utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    const call = h.callsTo('downloadExport')[0]!;
    expect(call.status).toBe(200);
    expect(call.path).toBe(new URL(url).pathname);
    for (const name of [
      'authorization',
      'stream-auth-type',
      'x-stream-client',
      'x-client-request-id',
    ]) {
      expect(call.headers[name]).toBeUndefined();
    }
    expect(await readdir(h.dir)).toEqual(['export.ndjson']);
  });

  it('retries a download cut by a reset', async () => {
    const url = await exportUrl(h, [USERS[0]]);
    h.sandbox.faults.script({ kind: 'reset', endpoint: 'downloadExport' });
    const response = await h.client.downloadExport(
      url,
      join(h.dir, 'again.ndjson'),
    );

    expect(response.data.bytes).toBeGreaterThan(0);
    expect(h.callsTo('downloadExport')).toHaveLength(2);
  });

  it('reports a refused signature as a permanent 403 without the XML body', async () => {
    const url = new URL(await exportUrl(h, [USERS[0]]));
    url.searchParams.set('Signature', 'forged');
    const destination = join(h.dir, 'denied.ndjson');
    const error = await rejectionOf(
      h.client.downloadExport(url.toString(), destination),
    );

    expect(error).toBeInstanceOf(StreamHttpError);
    expect(error).toMatchObject({ status: 403, retryable: false });
    expect(error.message).toBe('Stream downloadExport failed: HTTP 403');
    expect(await readdir(h.dir)).toEqual([]);
  });

  it('refuses a URL that is not http(s) without fetching anything', async () => {
    await expect(
      h.client.downloadExport('file:///etc/passwd', join(h.dir, 'x')),
    ).rejects.toBeInstanceOf(StreamUsageError);
    await expect(
      h.client.downloadExport('not a url', join(h.dir, 'x')),
    ).rejects.toBeInstanceOf(StreamUsageError);
    expect(h.sandbox.calls).toHaveLength(0);
  });

  it.each(['malformedJson', 'wrongShape'] as const)(
    'leaves no file behind when Export User returns %s',
    async (kind) => {
      h.sandbox.faults.script({ kind, endpoint: 'exportUser' });
      const destination = join(h.dir, 'user.json');
      const error = await rejectionOf(
        h.client.exportUser(USERS[0], destination),
      );

      expect(error).toBeInstanceOf(StreamResponseError);
      expect(await readdir(h.dir)).toEqual([]);
    },
  );
});

/** A one-off file host on a free port, recording what it was sent. */
async function startFileHost(answer: (res: ServerResponse) => void) {
  const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    answer(res);
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('StreamClient download request', () => {
  it('fetches the URL exactly as given and sends no credentials to the file host', async () => {
    const body = '{"type":"user","id":"x"}\n';
    const host = await startFileHost((res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(body);
    });
    const seen = host.seen;
    const h = await startHarness();
    try {
      const path =
        '/exports/users/abc%2Fdef.ndjson?Expires=123&Signature=s%2Bg';
      const response = await h.client.downloadExport(
        `${host.origin}${path}`,
        join(h.dir, 'file.ndjson'),
      );

      expect(response.data.sha256).toBe(sha256(Buffer.from(body)));
      expect(response.rateLimit).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]!.url).toBe(path);
      const names = Object.keys(seen[0]!.headers);
      expect(names).not.toContain('authorization');
      expect(names).not.toContain('stream-auth-type');
      expect(names).not.toContain('x-stream-client');
      expect(names).not.toContain('x-client-request-id');
    } finally {
      await h.close();
      host.close();
    }
  });

  it('times out a download whose body stalls, leaving no file', async () => {
    const host = await startFileHost((res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"partial":');
    });
    const h = await startHarness();
    try {
      const client = h.clientWith({ timeoutMs: 200, getRetries: 1 });
      const error = await rejectionOf(
        client.downloadExport(
          `${host.origin}/exports/users/f.ndjson`,
          join(h.dir, 'stalled.ndjson'),
        ),
      );

      expect(error).toBeInstanceOf(StreamTimeoutError);
      expect(error.message).toBe(
        'Stream downloadExport timed out: body stalled within 200 ms',
      );
      expect(host.seen).toHaveLength(2);
      expect(await readdir(h.dir)).toEqual([]);
    } finally {
      await h.close();
      host.close();
    }
  });

  it('reuses one kept-alive connection for consecutive calls', async () => {
    const host = await startFileHost((res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end('{}\n');
    });
    const h = await startHarness();
    try {
      for (const name of ['a', 'b', 'c']) {
        await h.client.downloadExport(
          `${host.origin}/exports/users/${name}.ndjson`,
          join(h.dir, `${name}.ndjson`),
        );
      }

      expect(host.seen).toHaveLength(3);
      expect(host.connections()).toBe(1);
    } finally {
      await h.close();
      host.close();
    }
  });
});
