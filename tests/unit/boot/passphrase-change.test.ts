/**
 * `station passphrase change` on a protected station holding every kind of
 * sealed secret (issue 13 "Passphrase policy"): a CA, a produced card's
 * escrowed PUK, a PUK rotation in flight, the IDPRS notification secret and
 * signed audit heads. After the change only the new passphrase opens the data
 * dir, every secret opens with the new key alone (no retired key is left), and
 * the audit heads signed before stay trusted. A change stopped half-way is
 * finished at the next start; a weak passphrase or a non-administrator changes
 * nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationRoot, type Station } from '../../../electron/boot/open-station.js';
import { changeStationPassphrase } from '../../../electron/boot/passphrase-change.js';
import { DEFAULT_CONFIG } from '../../../electron/core/config/station-config.js';
import { rekeyKeyring } from '../../../electron/core/pki/keyring.js';
import { escrowedPuk } from '../../../electron/core/issuance/card-secrets.js';
import { beginPukRotation, pukCandidates } from '../../../electron/core/lifecycle/puk-rotation.js';
import { loadNotificationSecret, setNotificationSecret } from '../../../electron/core/notifications/secret.js';
import { AuditService } from '../../../electron/core/audit/service.js';
import { ROLES, type Caller } from '../../../electron/core/workflow/types.js';
import { TRAINING_READER_NAME, TrainingReaderProvider } from '../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../native/virtual-card/card.js';
import { asPcscReaders } from '../../support/pcsc-stand-in.js';

const OLD = 'the first station passphrase';
const NEW = 'violet tractor mango whistle';
const SECRET = 'the shared notification secret';
const PASSWORD = 'an administrator password';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'passphrase-change-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A protected station with every kind of secret; returns what to check them against. */
async function stationWithSecrets(name: string): Promise<{ dataDir: string; cardId: string; puk: string; admin: Caller; registrar: Caller }> {
  const dataDir = join(root, name);
  const reader = new TrainingReaderProvider();
  reader.insert(VirtualPivCard.create());
  const profiles = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false }));
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles }));
  const s = await openStationRoot({ dataDir, passphrase: OLD, readers: asPcscReaders(reader) });
  try {
    const adminOfficer = await s.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
    const admin: Caller = { kind: 'officer', officer: adminOfficer, sessionId: 's1' };
    const reg = await s.officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ROLES.filter((r) => r !== 'admin') }, admin);
    const personId = s.store.persons.add({ givenName: 'Pat', surname: 'Passphrase', affiliation: 'employee' }).id;
    const out = await s.production.produce({ personId, readerName: TRAINING_READER_NAME, pin: '246810' });
    const cardId = out.card.id;
    const puk = escrowedPuk({ store: s.store, keyring: s.keyring }, cardId)!;
    beginPukRotation({ store: s.store, keyring: s.keyring }, cardId, puk, '87654321');
    setNotificationSecret(s.store, s.keyring.box, SECRET);
    expect(s.auditSigner.signHead()).not.toBeNull();
    return { dataDir, cardId, puk, admin, registrar: { kind: 'officer', officer: reg, sessionId: 's2' } };
  } finally {
    await s.close();
  }
}

/** Every secret opens with `station`'s keyring, which holds no retired key. */
function expectEverySecretOpens(station: Station, cardId: string, puk: string): void {
  expect(station.keyring.resealPending).toBe(false);
  const deps = { store: station.store, keyring: station.keyring };
  expect(escrowedPuk(deps, cardId)).toBe('87654321');
  expect(pukCandidates(deps, cardId)).toEqual(['87654321', puk]);
  expect(new TextDecoder().decode(loadNotificationSecret(station.store, station.keyring.box))).toBe(SECRET);
  const verified = new AuditService({ store: station.store, signer: station.auditSigner }).verify();
  expect(verified.firstBroken).toBeUndefined();
  expect(verified).toMatchObject({ ok: true });
  expect(verified.signedHeads).toBeGreaterThanOrEqual(1);
  expect(JSON.parse(readFileSync(join(station.dataDir, 'keyring.json'), 'utf8')).retiredKeys).toBeUndefined();
}

describe('changeStationPassphrase', () => {
  it('seals everything again under a stronger key: only the new passphrase opens, nothing is lost', async () => {
    const { dataDir, cardId, puk } = await stationWithSecrets('full');
    const s = await openStationRoot({ dataDir, passphrase: OLD });
    const masterKey = Buffer.from(s.keyring.masterKey(1));
    const auditKeyId = s.auditSigner.keyId;
    const result = await changeStationPassphrase(s, NEW, 'admin');
    await s.close();
    expect(result).toMatchObject({ caKeys: 3, escrowedPuks: 1, pukRotations: 1, notificationSecret: 1, kdf: { N: 2 ** 17, r: 8, p: 1 } });
    expect(result.auditKeys).toBeGreaterThanOrEqual(1);

    await expect(openStationRoot({ dataDir, passphrase: OLD })).rejects.toMatchObject({ code: 'SECRETS_LOCKED' });
    const after = await openStationRoot({ dataDir, passphrase: NEW });
    try {
      expect(Buffer.from(after.keyring.masterKey(1)).equals(masterKey)).toBe(true);
      // The audit key was stored again, sealed with the new key, but keeps its identity (no unaudited new key).
      expect(after.auditSigner.keyId).toBe(auditKeyId);
      expectEverySecretOpens(after, cardId, puk);
      // The CA keys open and still sign (a new CRL).
      await expect(after.ca.crl()).resolves.toBeDefined();
      const changed = after.store.audit.list().filter((e) => e.action === 'station.passphrase-changed');
      expect(changed).toMatchObject([{ actor: 'admin', outcome: 'ok', details: { scrypt: 'N=131072, r=8, p=1' } }]);
    } finally {
      await after.close();
    }
  }, 180_000);

  it('a change stopped after the keyring was re-keyed is finished at the next start', async () => {
    const { dataDir, cardId, puk } = await stationWithSecrets('interrupted');
    const s = await openStationRoot({ dataDir, passphrase: OLD });
    rekeyKeyring(s.keyring, NEW);
    await s.close(); // the process stops here: nothing else was sealed again yet
    const after = await openStationRoot({ dataDir, passphrase: NEW });
    try {
      expectEverySecretOpens(after, cardId, puk);
    } finally {
      await after.close();
    }
  }, 180_000);

  it('through the StationApi: a weak passphrase, an officer who is not an administrator, or a running station face change nothing', async () => {
    const { dataDir } = await stationWithSecrets('refused');
    const running = await openStationRoot({ dataDir, passphrase: OLD });
    try {
      const core = running.core();
      expect(await core.dispatch('auth.login', { username: 'admin', password: PASSWORD }, 'c-admin')).toMatchObject({ ok: true });
      // A station face's services hold the current key: it does not offer the change.
      expect(await core.dispatch('station.changePassphrase', { newPassphrase: NEW }, 'c-admin')).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    } finally {
      await running.close();
    }
    const s = await openStationRoot({ dataDir, passphrase: OLD, background: false });
    try {
      const core = s.core();
      expect(await core.dispatch('auth.login', { username: 'reg', password: PASSWORD }, 'c-reg')).toMatchObject({ ok: true });
      expect(await core.dispatch('station.changePassphrase', { newPassphrase: NEW }, 'c-reg')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await core.dispatch('auth.login', { username: 'admin', password: PASSWORD }, 'c-admin')).toMatchObject({ ok: true });
      expect(await core.dispatch('station.changePassphrase', { newPassphrase: 'password1234' }, 'c-admin')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(s.store.audit.list().filter((e) => e.action === 'station.passphrase-changed')).toEqual([]);
    } finally {
      await s.close();
    }
    const again = await openStationRoot({ dataDir, passphrase: OLD });
    await again.close();
  }, 180_000);
});
