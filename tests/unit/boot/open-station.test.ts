/**
 * What a face gets when it opens a station (issue 10 finding 8, "the faces
 * get no store"): the core — the one door — and the station's own services,
 * never the store, the keyring or a workflow service.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openStation } from '../../../electron/boot/open-station.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('openStation (the face entry)', () => {
  test('hands the core and the station services, nothing that bypasses dispatch', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-handle-'));
    dirs.push(dataDir);
    const handle = await openStation({ dataDir, training: true, noPcsc: true });
    try {
      expect(Object.keys(handle).sort()).toEqual(['close', 'core', 'dataDir', 'serveCpr', 'serveCrl', 'startDelivery', 'startServices']);
      for (const internal of ['store', 'keyring', 'ca', 'production', 'officers', 'requests', 'lifecycle', 'profiles', 'config']) expect(handle).not.toHaveProperty(internal);
      // Everything else goes through the core's door.
      expect(await handle.core().dispatch('station.info', {})).toMatchObject({ ok: true, value: { training: true } });
      expect(await handle.core().dispatch('persons.search', { query: 'x' })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    } finally {
      await handle.close();
    }
  });

  test('a new protected data dir refuses a weak passphrase before any secret is made (issue 13 "Passphrase policy")', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-weak-'));
    dirs.push(dataDir);
    await expect(openStation({ dataDir, passphrase: 'password1234', noPcsc: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'passphrase' } });
    expect(existsSync(join(dataDir, 'keyring.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'ca'))).toBe(false);
    const strong = await openStation({ dataDir, passphrase: 'violet tractor mango whistle', noPcsc: true });
    await strong.close();
    expect(existsSync(join(dataDir, 'keyring.json'))).toBe(true);
  }, 60_000);
});
