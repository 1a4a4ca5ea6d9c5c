import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  collectIds,
  parseIdLines,
  readIdFile,
} from '../../src/cli/id-files.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-id-files-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('id files', () => {
  it('takes one id per line, trimmed, skipping blank lines and # comments', () => {
    const text =
      '# users from ticket 4711\r\nalice\r\n\r\n  bob\t\n   \n#carol\ndave';

    expect(parseIdLines(text)).toEqual(['alice', 'bob', 'dave']);
  });

  it('drops a byte order mark at the start of the file', async () => {
    const file = join(dir, 'bom.txt');
    await writeFile(file, '\uFEFFalice\nbob\n');

    expect(await readIdFile(file, '--users-file')).toEqual(['alice', 'bob']);
  });

  it('joins ids from flags and files in order', async () => {
    const first = join(dir, 'a.txt');
    const second = join(dir, 'b.txt');
    await writeFile(first, 'b\n');
    await writeFile(second, 'c\nd\n');

    expect(await collectIds(['a'], [first, second], '--users-file')).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('refuses a missing or binary file naming the flag and the file, never the contents', async () => {
    const binary = join(dir, 'binary.bin');
    await writeFile(binary, Buffer.from('secret-user\u0000\n'));

    await expect(
      readIdFile(join(dir, 'missing'), '--users-file'),
    ).rejects.toThrow(
      `Cannot read --users-file ${join(dir, 'missing')}: no such file`,
    );
    const error = await readIdFile(binary, '--channels-file').catch(
      (e: Error) => e,
    );
    expect(String(error)).toContain(
      `--channels-file ${binary} is not a text file`,
    );
    expect(String(error)).not.toContain('secret-user');
  });
});
