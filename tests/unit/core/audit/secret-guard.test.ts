import { describe, expect, it } from 'vitest';
import { assertNoSecrets, isSecretKeyName } from '../../../../electron/core/audit/secret-guard.js';
import { memoryStore } from '../store/helpers.js';

describe('audit secret guard', () => {
  it('recognises keys naming a secret, and not counters or references about one', () => {
    for (const k of ['pin', 'PIN', 'newPin', 'new_pin', 'puk', 'oldPUK', 'password', 'stationPassword', 'key', 'mgmtKey', 'management-key', 'privateKey', 'secret', 'hmacSecret', 'token', 'passphrase']) {
      expect(isSecretKeyName(k), k).toBe(true);
    }
    for (const k of ['pinRetriesLeft', 'keyVersion', 'keyRef', 'reason', 'requestId', 'pinSource', 'slot', 'cardNumber']) {
      expect(isSecretKeyName(k), k).toBe(false);
    }
  });

  it('searches nested objects and arrays and never echoes the value', () => {
    expect(() => assertNoSecrets({ a: { b: [{ puk: '12345678' }] } })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'puk' } }));
    try {
      assertNoSecrets({ pin: '123456' });
    } catch (e) {
      expect(JSON.stringify((e as Error & { toJSON(): unknown }).toJSON())).not.toContain('123456');
    }
    expect(() => assertNoSecrets({ reason: 'lost', retries: { pinRetriesLeft: 2 } })).not.toThrow();
  });

  it('is enforced by the audit repository: nothing is appended', () => {
    const store = memoryStore();
    for (const details of [{ pin: '123456' }, { managementKey: '010203' }, { officer: { password: 'x' } }, { secret: 's' }, { puk: '1' }]) {
      expect(() => store.audit.append({ actor: 'a', action: 'b', outcome: 'ok', details })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(store.audit.count()).toBe(0);
    store.audit.append({ actor: 'a', action: 'b', outcome: 'ok', details: { pinRetriesLeft: 2 } });
    expect(store.audit.count()).toBe(1);
  });
});
