import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadNotificationSecret, setNotificationSecret } from '../../../../electron/core/notifications/secret.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
import { memoryStore } from '../store/helpers.js';

describe('notification secret', () => {
  it('is stored sealed (never in clear) and opened by the same box', () => {
    const store = memoryStore();
    const box = createSecretBox(randomBytes(32), true);
    expect(loadNotificationSecret(store, box)).toBeUndefined();
    setNotificationSecret(store, box, 'correct horse battery staple');
    const row = store.db.prepare('SELECT sealed FROM notification_secret').get() as { sealed: Buffer };
    expect(row.sealed.includes(Buffer.from('correct horse'))).toBe(false);
    expect(new TextDecoder().decode(loadNotificationSecret(store, box))).toBe('correct horse battery staple');
    setNotificationSecret(store, box, 'a second secret, replacing it');
    expect(new TextDecoder().decode(loadNotificationSecret(store, box))).toBe('a second secret, replacing it');
  });

  it('refuses a short secret, and another keyring cannot open it', () => {
    const store = memoryStore();
    const box = createSecretBox(randomBytes(32), true);
    expect(() => setNotificationSecret(store, box, 'short')).toThrow(/at least 16/);
    setNotificationSecret(store, box, 'correct horse battery staple');
    expect(() => loadNotificationSecret(store, createSecretBox(randomBytes(32), true))).toThrow(/cannot be opened/);
  });
});
