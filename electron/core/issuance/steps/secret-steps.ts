/**
 * PIN retry counts, PUK, PIN and the lock (DESIGN.md table rows "PIN, PUK" and
 * "lock"). These steps record "in progress" before touching the card because
 * their effect cannot be read back without risk.
 */
import { KeyRef } from '../../piv/constants.js';
import { FactoryDefaults } from '../../piv/constants.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { PIN_STEP, PUK_STEP, setPin, setPuk } from '../card-secrets.js';
import { derivedKeyFor, lockAlgorithm } from '../management-keys.js';

/**
 * SET PIN RETRIES (YubiKey extension FA) to the station's counts. It resets PIN
 * and PUK to their defaults, so it runs before either is changed, and only when
 * the card's counts differ (GET METADATA 80/81 tag 06).
 */
export const retriesStep: ProductionStep = {
  name: 'pin-retries',
  label: 'Set the PIN and PUK retry counts',
  activity: 'setting the PIN and PUK retry counts',
  async isDone(ctx) {
    if (!ctx.identity.supportsMetadata) return true; // cannot be read: the card keeps its issuer's counts
    const pin = await ctx.session.getMetadata(KeyRef.PIN);
    const puk = await ctx.session.getMetadata(KeyRef.PUK);
    return pin?.retries?.total === ctx.config.pinRetries && puk?.retries?.total === ctx.config.pukRetries;
  },
  async run(ctx) {
    if (ctx.stepRecord(PUK_STEP)?.status === 'done' || ctx.previouslyAttempted(PIN_STEP)) {
      // FA would reset a cardholder PIN/PUK already set: keep the card's counts.
      return { skipped: 'PIN or PUK already personalized' };
    }
    await ctx.session.verifyPin(FactoryDefaults.PIN);
    await ctx.session.setPinRetries(ctx.config.pinRetries, ctx.config.pukRetries);
    return { pinRetries: ctx.config.pinRetries, pukRetries: ctx.config.pukRetries };
  },
};

export const pukStep: ProductionStep = {
  name: PUK_STEP,
  label: 'Set a new PUK',
  activity: 'setting the PUK',
  recordInProgress: true,
  async isDone(ctx) {
    // A PUK cannot be read back without risking a try: the record is the proof.
    return ctx.stepRecord(PUK_STEP)?.status === 'done';
  },
  async run(ctx) {
    await setPuk(ctx);
    return { escrowed: true };
  },
};

export const pinStep: ProductionStep = {
  name: PIN_STEP,
  label: "Set the cardholder's PIN",
  activity: "setting the cardholder's PIN",
  recordInProgress: true,
  async isDone(ctx) {
    return ctx.stepRecord(PIN_STEP)?.status === 'done' && !!ctx.secrets.pin;
  },
  async run(ctx) {
    await setPin(ctx);
    return { source: ctx.params.pinSource };
  },
};

/** Records the lock target on the card record ("locking") before SET MANAGEMENT KEY. */
function markLocking(ctx: StepContext): { algorithm: string; version: number } {
  const algorithm = lockAlgorithm(ctx.identity);
  const version = ctx.keyring.currentMasterKeyVersion;
  ctx.updateCard({ mgmtKeyAlg: algorithm, mgmtKeyVersion: version, mgmtKeyState: 'locking' });
  return { algorithm, version };
}

/**
 * Replaces the transport management key with the card's derived key
 * (SP 800-108 KDF over the GUID, DESIGN.md "Lock and secrets"), then proves it
 * by authenticating with the new key.
 */
export const lockStep: ProductionStep = {
  name: 'lock',
  label: "Lock the card to the station's management key",
  activity: 'locking the card',
  recordInProgress: true,
  async isDone(ctx) {
    if (ctx.authenticatedWith === 'derived' && ctx.card.mgmtKeyState !== 'transport') {
      if (ctx.card.mgmtKeyState !== 'locked') ctx.updateCard({ mgmtKeyState: 'locked' });
      return true;
    }
    return false;
  },
  async run(ctx) {
    const target = ctx.card.mgmtKeyState === 'locking' && ctx.card.mgmtKeyAlg ? { algorithm: ctx.card.mgmtKeyAlg, version: ctx.card.mgmtKeyVersion! } : markLocking(ctx);
    if (ctx.card.mgmtKeyState !== 'locking') ctx.updateCard({ mgmtKeyState: 'locking' });
    const algorithm = target.algorithm as ReturnType<typeof lockAlgorithm>;
    const key = derivedKeyFor(ctx.keyring, ctx.card, algorithm, target.version);
    await ctx.session.setManagementKey(algorithm, key);
    await ctx.session.authenticateManagementKey(algorithm, key);
    ctx.authenticatedWith = 'derived';
    ctx.updateCard({ mgmtKeyState: 'locked' });
    return { algorithm, keyVersion: target.version };
  },
};

