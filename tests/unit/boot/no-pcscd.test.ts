/**
 * A real station without pcscd (issue 10, "the readers panel says why there is
 * no reader"): `readers.list` answers PCSC_UNAVAILABLE with the sentence that
 * says how to start pcscd, and offers no software card; a training station
 * without pcscd still lists its training reader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openStation } from '../../../electron/boot/open-station.js';
import { PCSCD_NOT_RUNNING } from '../../../native/pcsc/errors.js';
import { TRAINING_READER_NAME } from '../../../native/virtual-card/training-reader.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const CHEAP_SCRYPT = { N: 16, r: 1, p: 1 };

/** Opens a station with no PC/SC at all and logs a first administrator in on connection `desk`. */
async function stationWithoutPcscd(training: boolean) {
  const dataDir = mkdtempSync(join(tmpdir(), 'no-pcscd-'));
  dirs.push(dataDir);
  const handle = await openStation({ dataDir, training, noPcsc: true, scrypt: CHEAP_SCRYPT, ...(training ? {} : { passphrase: 'a station passphrase for the test' }) });
  const core = handle.core();
  const admin = await core.dispatch('auth.firstRunAdmin', { username: 'admin', displayName: 'Admin', password: 'a long enough password' }, 'desk');
  expect(admin).toMatchObject({ ok: true });
  const login = await core.dispatch('auth.login', { username: 'admin', password: 'a long enough password' }, 'desk');
  expect(login).toMatchObject({ ok: true });
  return { handle, core };
}

describe('a station without pcscd', () => {
  test('a real station lists no reader and says why, with the way to start pcscd', async () => {
    const { handle, core } = await stationWithoutPcscd(false);
    try {
      const r = await core.dispatch('readers.list', {}, 'desk');
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'PCSC_UNAVAILABLE', message: PCSCD_NOT_RUNNING }) });
      expect(PCSCD_NOT_RUNNING).toMatch(/^pcscd is not running: start it with /);
    } finally {
      await handle.close();
    }
  });

  test('a training station lists its training reader only', async () => {
    const { handle, core } = await stationWithoutPcscd(true);
    try {
      const r = await core.dispatch('readers.list', {}, 'desk');
      expect(r.ok && (r.value as { name: string }[]).map((x) => x.name)).toEqual([TRAINING_READER_NAME]);
    } finally {
      await handle.close();
    }
  });
});
