/**
 * `station passphrase change` (issue 13 "Passphrase policy"): a new passphrase
 * for a protected data dir, checked for strength, derived with today's scrypt
 * cost, and every secret of the station sealed again under it:
 *
 * 1. the keyring file opens with the new passphrase only, and keeps the old
 *    key until step 2 is done (pki/keyring.ts rekeyKeyring, one atomic write);
 * 2. the CA keys, escrowed PUKs, PUK rotations, notification secret and audit
 *    keys are sealed again with the new key (core/reseal.ts);
 * 3. the keyring file forgets the old key (finishRekey), and the change is audited.
 *
 * A stop between 1 and 3 loses nothing: the data dir opens with the new
 * passphrase and open-station finishes steps 2 and 3.
 *
 * Faces reach it through the StationApi (station.changePassphrase, administrators):
 * the core authorizes and hands the composition root's port the officer's name.
 */
import { StationError } from '../core/errors.js';
import { finishRekey, rekeyKeyring, type Keyring } from '../core/pki/keyring.js';
import type { StationConfig } from '../core/config/station-config.js';
import type { StationStore } from '../core/store/store.js';
import { assertPassphraseStrength } from '../core/pki/passphrase-policy.js';
import { resealStation } from '../core/reseal.js';
import type { PassphraseChange } from '../contract/station-api.js';

/** What {@link changeStationPassphrase} needs of the opened station. */
export interface PassphraseChangeTarget {
  readonly dataDir: string;
  readonly config: StationConfig;
  readonly store: StationStore;
  readonly keyring: Keyring;
}

/**
 * Changes the passphrase of `station` (opened with the current one), for an administrator. The
 * station must be closed afterwards: its objects still hold the old key; it opens again with the
 * new passphrase.
 * @param actor the administrator the StationApi authorized (the audit names them)
 * @returns how many secrets were sealed again, by kind, and the scrypt parameters now in use
 * @throws StationError INVALID_INPUT (training data dir without a passphrase, a passphrase too weak), SECRETS_LOCKED, STORE
 */
export async function changeStationPassphrase(station: PassphraseChangeTarget, newPassphrase: string, actor: string): Promise<PassphraseChange> {
  if (!station.keyring.kdf) throw new StationError('INVALID_INPUT', 'This training data dir has no passphrase to change: it was created unprotected with --training.');
  await assertPassphraseStrength(newPassphrase, [station.config.organization]);
  const rekeyed = rekeyKeyring(station.keyring, newPassphrase);
  const count = resealStation({ dataDir: station.dataDir, store: station.store, box: rekeyed.box });
  const finished = finishRekey(rekeyed);
  const kdf = finished.kdf!;
  const sealedAgain = Object.values(count).reduce((a, b) => a + b, 0);
  station.store.audit.append({ actor, action: 'station.passphrase-changed', outcome: 'ok', details: { sealedAgain, scrypt: `N=${kdf.N}, r=${kdf.r}, p=${kdf.p}` } });
  return { ...count, kdf };
}
