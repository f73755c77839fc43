import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
import { isStationError } from '../../../../electron/core/errors.js';

function expectLocked(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(isStationError(e, 'SECRETS_LOCKED')).toBe(true);
    return;
  }
  throw new Error('expected SECRETS_LOCKED');
}

describe('SecretBox', () => {
  const key = randomBytes(32);
  const box = createSecretBox(key, true);
  const plain = new TextEncoder().encode('12345678');

  it('round-trips with the same label and uses a fresh nonce each time', () => {
    const a = box.seal(plain, 'puk/card-1');
    const b = box.seal(plain, 'puk/card-1');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(box.open(a, 'puk/card-1')).toString()).toBe('12345678');
    expect(a.length).toBe(1 + 12 + plain.length + 16);
    // the plaintext does not appear in the sealed bytes
    expect(Buffer.from(a).includes(Buffer.from(plain))).toBe(false);
  });

  it('refuses a different label (no swapping a PUK for a CA key)', () => {
    const sealed = box.seal(plain, 'puk/card-1');
    expectLocked(() => box.open(sealed, 'ca/root-key'));
  });

  it('refuses any one-byte tamper', () => {
    const sealed = box.seal(plain, 'x');
    for (let i = 0; i < sealed.length; i++) {
      const t = Uint8Array.from(sealed);
      t[i] = t[i]! ^ 0x01;
      expectLocked(() => box.open(t, 'x'));
    }
    expectLocked(() => box.open(sealed.subarray(0, 20), 'x'));
  });

  it('refuses a wrong key', () => {
    const other = createSecretBox(randomBytes(32), true);
    expectLocked(() => other.open(box.seal(plain, 'x'), 'x'));
  });

  it('reports protection and rejects bad key sizes', () => {
    expect(box.protected).toBe(true);
    expect(createSecretBox(key, false).protected).toBe(false);
    expect(() => createSecretBox(randomBytes(16), true)).toThrow(/32 bytes/);
  });
});

describe('retired keys (a passphrase change in progress)', () => {
  it('open tries the current key then the retired ones; seal and reseal use only the current key', () => {
    const oldKey = new Uint8Array(32).fill(1);
    const newKey = new Uint8Array(32).fill(2);
    const old = createSecretBox(oldKey, true);
    const sealedOld = old.seal(new Uint8Array([7]), 'label');
    const box = createSecretBox(newKey, true, [oldKey]);
    expect([...box.open(sealedOld, 'label')]).toEqual([7]);
    expect(box.isCurrent(sealedOld, 'label')).toBe(false);
    const resealed = box.reseal(sealedOld, 'label');
    expect(box.isCurrent(resealed, 'label')).toBe(true);
    expect(box.reseal(resealed, 'label')).toBe(resealed);
    expect(() => old.open(resealed, 'label')).toThrow(expect.objectContaining({ code: 'SECRETS_LOCKED' }));
    expect(() => createSecretBox(newKey, true).open(sealedOld, 'label')).toThrow(expect.objectContaining({ code: 'SECRETS_LOCKED' }));
    expect(() => box.open(sealedOld, 'other label')).toThrow(expect.objectContaining({ code: 'SECRETS_LOCKED' }));
  });
});
