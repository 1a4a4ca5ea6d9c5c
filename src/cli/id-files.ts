import { readFile } from 'node:fs/promises';

import { UsageError } from './cli-errors.js';

/** The help text's description of the id file format. */
export const ID_FILE_FORMAT =
  'Id files hold one id per line; surrounding whitespace, blank lines and\n' +
  'lines starting with # are ignored.';

/**
 * Reads an id file (see ID_FILE_FORMAT). An unreadable or binary file is a
 * UsageError naming the file and the flag; its contents are never quoted,
 * since they identify data subjects.
 */
export async function readIdFile(
  path: string,
  flag: string,
): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${flag} ${path}: ${reason(error)}`, {
      cause: error,
    });
  }

  if (text.includes('\u0000')) {
    throw new UsageError(`${flag} ${path} is not a text file of ids`);
  }
  return parseIdLines(text.replace(/^\uFEFF/, ''));
}

/** Splits file text into ids per ID_FILE_FORMAT. */
export function parseIdLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Joins ids given on the command line with those read from files, in order.
 * Duplicates are left for the library, which removes them.
 */
export async function collectIds(
  inline: readonly string[] | undefined,
  files: readonly string[] | undefined,
  fileFlag: string,
): Promise<string[]> {
  const ids = [...(inline ?? [])];
  for (const file of files ?? []) {
    ids.push(...(await readIdFile(file, fileFlag)));
  }
  return ids;
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'read failed';
  }
}
