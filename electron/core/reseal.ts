/**
 * Sealing every station secret again with the keyring's current key, the
 * middle of a passphrase change (keyring.ts rekeyKeyring → this → finishRekey):
 * the CA private keys (ca/ca.json), the escrowed PUKs, the previous PUKs of
 * PUK rotations in flight, the IDPRS notification secret and the audit keys.
 * The keyring's own master keys and verifier were sealed again with the
 * keyring file itself.
 *
 * Idempotent: what the current key sealed already is left as it is, so a
 * change interrupted half-way is finished by running this again (open-station
 * does, whenever the keyring still holds a retired key). The database part is
 * one transaction.
 */
import { join } from 'node:path';
import type { SecretBox } from './pki/secret-box.js';
import type { StationStore } from './store/store.js';
import { LocalCa } from './pki/local-ca.js';
import { resealEscrowedPuks } from './issuance/card-secrets.js';
import { resealPukRotations } from './lifecycle/puk-rotation.js';
import { resealNotificationSecret } from './notifications/secret.js';
import { resealAuditKeys } from './audit/head-signer.js';

/** How many secrets of each kind were sealed again. */
export interface ResealCount {
  caKeys: number;
  escrowedPuks: number;
  pukRotations: number;
  notificationSecret: number;
  auditKeys: number;
}

/**
 * Seals every secret of the station in `dataDir` again with `box`'s current key.
 * @param box a box holding the current key and the retired key(s) that sealed the secrets so far
 * @throws StationError SECRETS_LOCKED when a secret opens with none of the box's keys; STORE
 */
export function resealStation(ctx: { dataDir: string; store: StationStore; box: SecretBox }): ResealCount {
  const caKeys = LocalCa.resealKeys(join(ctx.dataDir, 'ca'), ctx.box);
  return ctx.store.transaction(() => ({
    caKeys,
    escrowedPuks: resealEscrowedPuks(ctx.store, ctx.box),
    pukRotations: resealPukRotations(ctx.store, ctx.box),
    notificationSecret: resealNotificationSecret(ctx.store, ctx.box),
    auditKeys: resealAuditKeys(ctx.store, ctx.box),
  }));
}
