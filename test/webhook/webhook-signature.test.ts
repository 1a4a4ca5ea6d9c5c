import {
  signWebhook,
  verifyWebhookSignature,
} from '../../src/webhook/webhook-signature.js';

const SECRET = 'webhook-secret-for-tests';
const BODY = '{"requestId":"req_1","status":"completed"}';
const NOW = 1_800_000_000;

describe('verifyWebhookSignature', () => {
  const signature = signWebhook(SECRET, NOW, BODY);

  it('accepts the signature of the body and timestamp as sent', () => {
    expect(
      verifyWebhookSignature(SECRET, String(NOW), BODY, signature, 300, NOW),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        SECRET,
        NOW,
        Buffer.from(BODY),
        signature,
        300,
        NOW + 299,
      ),
    ).toBe(true);
  });

  it('rejects a changed body, another secret or another timestamp', () => {
    expect(
      verifyWebhookSignature(SECRET, NOW, `${BODY} `, signature, 300, NOW),
    ).toBe(false);
    expect(
      verifyWebhookSignature(
        'another-secret-123',
        NOW,
        BODY,
        signature,
        300,
        NOW,
      ),
    ).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, NOW + 1, BODY, signature, 300, NOW),
    ).toBe(false);
  });

  it('rejects a delivery older or newer than the tolerance (a replay)', () => {
    expect(
      verifyWebhookSignature(SECRET, NOW, BODY, signature, 300, NOW + 301),
    ).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, NOW, BODY, signature, 300, NOW - 301),
    ).toBe(false);
  });

  it('rejects missing or malformed headers without throwing', () => {
    expect(
      verifyWebhookSignature(SECRET, undefined, BODY, signature, 300, NOW),
    ).toBe(false);
    expect(verifyWebhookSignature(SECRET, '', BODY, signature, 300, NOW)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(SECRET, 'soon', BODY, signature, 300, NOW),
    ).toBe(false);
    expect(verifyWebhookSignature(SECRET, NOW, BODY, undefined, 300, NOW)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(SECRET, NOW, BODY, 'sha256=abc', 300, NOW),
    ).toBe(false);
    expect(
      verifyWebhookSignature(SECRET, NOW, BODY, signature.slice(7), 300, NOW),
    ).toBe(false);
  });
});
