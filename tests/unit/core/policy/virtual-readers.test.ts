/**
 * Virtual (vpcd) readers on a real station (issue 13 "Hardening: vpcd"):
 * refused before anything reaches the card, unless the station is a training
 * station or config.json allows them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertReaderAllowed, guardVirtualReaders, isVirtualReader } from '../../../../electron/core/policy/virtual-readers.js';
import { openStationRoot, type Station } from '../../../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import type { CardTransport, ReaderProvider } from '../../../../electron/core/piv/transport.js';
import { TrainingReaderProvider } from '../../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { ROLES } from '../../../../electron/core/workflow/types.js';
import { asPcscReaders } from '../../../support/pcsc-stand-in.js';

const VPCD = 'Virtual PCD 00 00';
const PASSPHRASE = 'vpcd guard unit test: a protected station';
const PASSWORD = 'vpcd guard officer password';

describe('isVirtualReader', () => {
  it('knows the vpcd driver by its reader names, nothing else', () => {
    expect(isVirtualReader('Virtual PCD 00 00')).toBe(true);
    expect(isVirtualReader('Virtual PCD 00 01')).toBe(true);
    for (const other of ['Yubico YubiKey OTP+FIDO+CCID 00 00', 'PIV Station Training Reader', 'Identiv uTrust 3700 F CL Reader [uTrust 3700 F CL Reader] (0)', 'My Virtual PCD', '']) {
      expect(isVirtualReader(other), other).toBe(false);
    }
  });
});

describe('guardVirtualReaders', () => {
  const inner = () => {
    const connected: string[] = [];
    const provider: ReaderProvider = {
      listReaders: async () => [{ name: VPCD, cardPresent: true }],
      connect: async (name) => {
        connected.push(name);
        return { readerName: name } as CardTransport;
      },
      watch: () => () => undefined,
      close: async () => undefined,
    };
    return { provider, connected };
  };

  it('on a protected station refuses a vpcd reader without opening it, and opens any other', async () => {
    const { provider, connected } = inner();
    const guarded = guardVirtualReaders(provider, { training: false, allowVirtualReaders: false });
    await expect(guarded.connect(VPCD)).rejects.toMatchObject({ code: 'FORBIDDEN', details: { rule: 'virtualReader', reader: VPCD } });
    expect(connected).toEqual([]);
    await guarded.connect('Yubico YubiKey CCID 00 00');
    expect(connected).toEqual(['Yubico YubiKey CCID 00 00']);
    expect(await guarded.listReaders()).toEqual([{ name: VPCD, cardPresent: true }]);
  });

  it('a training station, or "allowVirtualReaders": true, may use vpcd readers', async () => {
    for (const policy of [
      { training: true, allowVirtualReaders: false },
      { training: false, allowVirtualReaders: true },
    ]) {
      const { provider, connected } = inner();
      await guardVirtualReaders(provider, policy).connect(VPCD);
      expect(connected).toEqual([VPCD]);
      expect(() => assertReaderAllowed(VPCD, policy)).not.toThrow();
    }
  });

  it('the refusal says why and what to do, in the officer’s words', () => {
    expect(() => assertReaderAllowed(VPCD, { training: false, allowVirtualReaders: false })).toThrow(/anyone on the network.*allowVirtualReaders.*SECURITY\.md/);
  });
});

describe('production on a protected station', () => {
  let dir: string | undefined;
  let station: Station | undefined;
  afterEach(async () => {
    await station?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    station = undefined;
    dir = undefined;
  });

  /** A protected (non-training) station whose only reader is named like vpcd's, counting the sessions opened on its card. */
  async function protectedStation(config: Record<string, unknown> = {}) {
    dir = mkdtempSync(join(tmpdir(), 'vpcd-guard-'));
    const profiles = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false }));
    // One desk officer requests and produces (the duty rule off), so the reader rule is what answers.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles, separationOfDuties: { producerDiffersFromRequester: false }, ...config }));
    const reader = new TrainingReaderProvider({ readerName: VPCD });
    reader.insert(VirtualPivCard.create());
    // A PC/SC reader named like vpcd's (a real station opens no training reader).
    const counting = asPcscReaders(reader);
    station = await openStationRoot({ dataDir: dir, passphrase: PASSPHRASE, readers: counting });
    expect(station.keyring.training).toBe(false);
    const personId = station.store.persons.add({ givenName: 'Val', surname: 'Virtual', affiliation: 'employee' }).id;
    return { station, sessions: counting.connected, personId };
  }

  it('refuses to produce on a vpcd reader: no job, no card record, no session on the card', async () => {
    const { station: s, sessions, personId } = await protectedStation();
    await expect(s.production.produce({ personId, readerName: VPCD, pin: '246810' })).rejects.toMatchObject({ code: 'FORBIDDEN', details: { rule: 'virtualReader' } });
    expect(s.store.jobs.list({})).toEqual([]);
    expect(s.store.db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 0 });
    expect(sessions).toEqual([]);
    // Verification at the desk is a card session too.
    await s.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: [...ROLES] }, { kind: 'anonymous' });
    expect((await s.core().dispatch('auth.login', { username: 'admin', password: PASSWORD }, 'desk')).ok).toBe(true);
    const r = await s.core().dispatch('card.verify', { readerName: VPCD }, 'desk');
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'virtualReader' } } });
    // Through the door and the rule book (a direct issue): refused with nothing recorded, not even the request.
    const issued = await s.core().dispatch('production.start', { personId, readerName: VPCD, pin: '246810' }, 'desk');
    expect(issued).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'virtualReader' } } });
    expect(s.store.db.prepare('SELECT (SELECT count(*) FROM cards) AS cards, (SELECT count(*) FROM jobs) AS jobs').get()).toEqual({ cards: 0, jobs: 0 });
    expect(sessions).toEqual([]);
  });

  it('produces on it when config.json allows virtual readers', async () => {
    const { station: s, sessions, personId } = await protectedStation({ allowVirtualReaders: true });
    const out = await s.production.produce({ personId, readerName: VPCD, pin: '246810' });
    expect(out.job.status).toBe('done');
    expect(sessions.length).toBeGreaterThan(0);
  }, 120_000);
});
