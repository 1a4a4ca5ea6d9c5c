import { readFileSync } from 'node:fs';

/** The package version, read once from package.json next to dist/. */
export const CLI_VERSION: string = readVersion();

function readVersion(): string {
  try {
    const url = new URL('../../../package.json', import.meta.url);
    const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
