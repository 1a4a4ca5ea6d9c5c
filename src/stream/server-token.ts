import { SignJWT } from 'jose';

/**
 * Stream's server token: HS256 over `{"server": true}` with no `iat` or
 * `exp` (the official SDKs sign it the same way), so it never expires and
 * clock skew cannot make Stream reject it (codes 41/42). Signing is async
 * in jose; the promise is created on first use and shared afterwards.
 */
export class ServerToken {
  readonly #secret: Uint8Array;
  #token: Promise<string> | undefined;

  constructor(apiSecret: string) {
    this.#secret = new TextEncoder().encode(apiSecret);
  }

  /** The signed token, made once. */
  get(): Promise<string> {
    this.#token ??= new SignJWT({ server: true })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(this.#secret);
    return this.#token;
  }
}
