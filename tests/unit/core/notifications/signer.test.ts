import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signNotification, verifyNotification } from '../../../../electron/core/notifications/signer.js';

const secret = new TextEncoder().encode('a shared secret of the IDPRS');
const body = '{"id":"e1","type":"card.produced"}';
const ts = 1_740_000_000;

describe('notification signature', () => {
  it('is HMAC-SHA-256 over "timestamp.body", hex, with the sha256= prefix', () => {
    // Independent computation: what an IDPRS written in any language does.
    const expected = createHmac('sha256', Buffer.from(secret)).update(`${ts}.${body}`).digest('hex');
    expect(signNotification(secret, ts, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a correct signature within the tolerance', () => {
    const signature = signNotification(secret, ts, body);
    expect(verifyNotification(secret, { signature, timestamp: String(ts) }, body, ts + 299)).toBe('ok');
  });

  it('refuses a changed body, a changed timestamp, another secret, a stale or missing header', () => {
    const signature = signNotification(secret, ts, body);
    expect(verifyNotification(secret, { signature, timestamp: String(ts) }, body.replace('produced', 'revoked'), ts)).toBe('mismatch');
    expect(verifyNotification(secret, { signature, timestamp: String(ts + 1) }, body, ts)).toBe('mismatch');
    expect(verifyNotification(new TextEncoder().encode('another secret entirely!'), { signature, timestamp: String(ts) }, body, ts)).toBe('mismatch');
    expect(verifyNotification(secret, { signature, timestamp: String(ts) }, body, ts + 301)).toBe('stale');
    expect(verifyNotification(secret, { signature: undefined, timestamp: String(ts) }, body, ts)).toBe('missing');
    expect(verifyNotification(secret, { signature, timestamp: 'yesterday' }, body, ts)).toBe('missing');
  });
});
