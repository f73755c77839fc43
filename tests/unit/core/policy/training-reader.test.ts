/**
 * Finding 9 (issue 10): the training reader only on training stations. The
 * in-process software card holds its keys in a JavaScript process: on a real
 * station (a data dir protected by a passphrase) the core neither lists it
 * nor opens it, whatever readers a face hands the core, so no real CA
 * certificate is issued for its keys; production, reissue and desk
 * operations on it are refused with a clear error and change nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openStationRoot as openStation, type Station } from '../../../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { readersForStation, TRAINING_READER_REFUSED } from '../../../../electron/core/policy/training-reader.js';
import { hashPassword } from '../../../../electron/core/workflow/officers-password.js';
import type { CardRequestView } from '../../../../electron/contract/station-api.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { QUICK_PROFILES } from './desk.js';

let station: Station | undefined;
let dir: string | undefined;
afterEach(async () => {
  await station?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  station = undefined;
  dir = undefined;
});

describe('finding 9: the training reader only on training stations', () => {
  test('on a real station the core lists no training reader and refuses to produce on one: no certificate is issued', async () => {
    dir = mkdtempSync(join(tmpdir(), 'piv-station-real-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles: QUICK_PROFILES }));
    const reader = new TrainingReaderProvider();
    reader.insert(VirtualPivCard.create());
    station = await openStation({ dataDir: dir, passphrase: 'a real station passphrase', readers: reader });
    expect(station.keyring.training).toBe(false);
    const core = station.core();
    const hash = await hashPassword('real station officer password', { N: 16, r: 1, p: 1 });
    for (const [username, roles] of [
      ['registrar', ['registration']],
      ['approver', ['approver']],
      ['producer', ['production', 'security']],
    ] as const) {
      station.store.officers.create({ username, displayName: username, passwordHash: hash, roles: [...roles] });
      expect((await core.dispatch('auth.login', { username, password: 'real station officer password' }, username)).ok).toBe(true);
    }
    expect(await core.dispatch('readers.list', {}, 'producer')).toEqual({ ok: true, value: [] });
    const person = station.store.persons.add({ givenName: 'Real', surname: 'Holder', affiliation: 'employee' });
    const request = (await core.dispatch('requests.create', { personId: person.id, profile: 'employee' }, 'registrar')) as { ok: true; value: CardRequestView };
    await core.dispatch('requests.approve', { requestId: request.value.id }, 'approver');
    const before = station.store.requests.get(request.value.id)!.state;
    expect(await core.dispatch('requests.produce', { requestId: request.value.id, readerName: TRAINING_READER_NAME, pin: '246810' }, 'producer')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: TRAINING_READER_REFUSED, details: { rule: 'trainingReader' } },
    });
    expect(station.store.requests.get(request.value.id)!.state).toBe(before);
    expect(station.store.jobs.list()).toEqual([]);
    expect(station.store.db.prepare('SELECT count(*) FROM certificates').pluck().get()).toBe(0);
    expect(await core.dispatch('cards.activate', { readerName: TRAINING_READER_NAME, pin: '246810' }, 'producer')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: TRAINING_READER_REFUSED },
    });
  });

  test('readersForStation: a training station keeps its readers; a real one hides training readers and refuses to open them', async () => {
    const training = new TrainingReaderProvider();
    training.insert(VirtualPivCard.create());
    expect(readersForStation(training, true)).toBe(training);
    const real = readersForStation(training, false);
    expect(await real.listReaders()).toEqual([]);
    await expect(real.connect(TRAINING_READER_NAME)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { rule: 'trainingReader' } });
    const seen: unknown[] = [];
    const off = real.watch((list) => seen.push(list));
    training.remove();
    off();
    expect(seen).toEqual([[]]);
    // Guarding twice changes nothing.
    expect(readersForStation(real, false)).toBe(real);
  });
});
