import { errors, jwtVerify } from 'jose';

import { authError } from './errors.js';

/** Clock skew Stream tolerates on `iat`, in seconds (an assumption). */
const IAT_LEEWAY_S = 5;
const VERIFIED_MAX = 64;

export interface AuthInput {
  readonly apiKey: string | undefined;
  readonly authType: string | undefined;
  readonly authorization: string | undefined;
}

/**
 * Checks a server-side call the way the reference (§1, §15) says Stream
 * does: `api_key` first (code 2), then the JWT's signature (43), then that
 * it is a server token sent as a JWT (5). The token is taken bare, as every
 * SDK sends it; a `Bearer ` prefix makes it unparseable and fails with 5.
 */
export class Authenticator {
  readonly #apiKey: string;
  readonly #secret: Uint8Array;
  /**
   * Tokens whose signature already verified. Server tokens are static, so
   * a benchmark making 10,000 calls verifies one token once; time claims
   * are still checked on every call.
   */
  readonly #verified = new Map<string, Record<string, unknown>>();

  constructor(apiKey: string, apiSecret: string) {
    this.#apiKey = apiKey;
    this.#secret = new TextEncoder().encode(apiSecret);
  }

  /** Rejects with a `StreamApiError` when the call may not proceed. */
  async check(input: AuthInput): Promise<void> {
    if (input.apiKey !== this.#apiKey) {
      throw authError(2, 'api_key not valid');
    }

    const token = input.authorization;
    if (token === undefined || token === '') {
      throw authError(5, 'JWTAuth error: token is not set');
    }

    const payload = await this.#payload(token);
    if (input.authType?.toLowerCase() !== 'jwt') {
      throw authError(
        5,
        'Stream-Auth-Type header must be jwt for server-side calls',
      );
    }

    const nowS = Date.now() / 1000;
    if (
      typeof payload['iat'] === 'number' &&
      payload['iat'] > nowS + IAT_LEEWAY_S
    ) {
      throw authError(42, 'JWTAuth error: token used before issue at (iat)');
    }

    // php sends the claim as the string "true"; Stream accepts both.
    if (payload['server'] !== true && payload['server'] !== 'true') {
      throw authError(
        5,
        'JWTAuth error: this endpoint requires a server-side token',
      );
    }
  }

  async #payload(token: string): Promise<Record<string, unknown>> {
    const known = this.#verified.get(token);
    const nowS = Date.now() / 1000;
    if (
      known !== undefined &&
      (typeof known['exp'] !== 'number' || known['exp'] > nowS) &&
      (typeof known['nbf'] !== 'number' || known['nbf'] <= nowS)
    ) {
      return known;
    }

    const payload = await verifyToken(token, this.#secret);
    if (this.#verified.size >= VERIFIED_MAX) this.#verified.clear();
    this.#verified.set(token, payload);
    return payload;
  }
}

async function verifyToken(
  token: string,
  secret: Uint8Array,
): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw authError(43, 'JWTAuth error: signature is not valid');
    }

    if (error instanceof errors.JWTExpired) {
      throw authError(40, 'JWTAuth error: token has expired');
    }

    if (
      error instanceof errors.JWTClaimValidationFailed &&
      error.claim === 'nbf'
    ) {
      throw authError(41, 'JWTAuth error: token is not valid yet');
    }

    throw authError(5, 'JWTAuth error: token is not a valid JWT');
  }
}
