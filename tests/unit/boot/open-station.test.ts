/**
 * What a face gets when it opens a station (issue 10 finding 8, "the faces
 * get no store"): the core — the one door — and the station's own services,
 * never the store, the keyring or a workflow service.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
});
