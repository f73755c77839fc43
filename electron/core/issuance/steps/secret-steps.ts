/**
 * PIN retry counts, PUK, PIN and the lock (DESIGN.md table rows "PIN, PUK" and
 * "lock"). These steps record "in progress" before touching the card because
 * their effect cannot be read back without risk.
 */
import { FactoryDefaults, KeyRef, type ManagementKeyAlgorithm } from '../../piv/constants.js';
import { isStationError, StationError } from '../../errors.js';
import { recognitionState } from '../../piv/capabilities.js';
import type { RetryCounts } from '../../../contract/card-capabilities.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { PIN_STEP, PUK_STEP, setPin, setPuk, verifyPinOnCard } from '../card-secrets.js';
import { derivedKeyFor, lockAlgorithm, transportCandidate } from '../management-keys.js';

/** Card answers that mean "not this way" for an optional command: its capability is off and the fallback is used. */
const OPTIONAL_REFUSED = ['UNSUPPORTED', 'BAD_DATA', 'SW', 'CONDITIONS', 'SECURITY_STATUS', 'MALFORMED_RESPONSE'] as const;

/** PIN and PUK retry counts as the card reports them (GET METADATA 80/81 tag 06; once per run), each null when it does not. */
async function cardRetryCounts(ctx: StepContext): Promise<{ pin: number | null; puk: number | null }> {
  const total = async (ref: number): Promise<number | null> => {
    const known = ctx.retryTotalsInRun.get(ref);
    if (known !== undefined) return known;
    if (ctx.identity.capabilities.extensions.getMetadata !== 'yes') return null;
    try {
      const retries = (await ctx.session.getMetadata(ref))?.retries;
      if (retries) ctx.retryTotalsInRun.set(ref, retries.total);
      return retries?.total ?? null;
    } catch (e) {
      if (isStationError(e, ...OPTIONAL_REFUSED)) return null;
      throw e;
    }
  };
  // Without metadata, the PIN tries left before anything was verified (VERIFY without data, read by identify).
  return { pin: (await total(KeyRef.PIN)) ?? ctx.identity.pinTriesLeft ?? null, puk: await total(KeyRef.PUK) };
}

/** Records the counts the card ended with on the card record and returns them as the step's data. */
function recordRetries(ctx: StepContext, retries: RetryCounts, note?: string): Record<string, unknown> {
  ctx.updateCard({ capabilities: { ...(ctx.card.capabilities ?? ctx.identity.capabilities), retries } });
  return { pinRetries: retries.pin, pukRetries: retries.puk, keptByCard: retries.keptByCard, ...(note ? { note } : {}) };
}

/**
 * The station's PIN and PUK retry counts (SET PIN RETRIES, YubiKey extension
 * FA), where the card has the command; FA resets PIN and PUK to their
 * defaults, so it runs before either is changed. A card without it, or that
 * refuses it, keeps its own counts: recorded and shown to the officer ("this
 * card keeps its own retry counts: PIN 3, PUK 3"), never a failure.
 */
export const retriesStep: ProductionStep = {
  name: 'pin-retries',
  label: 'Set the PIN and PUK retry counts',
  activity: 'setting the PIN and PUK retry counts',
  async isDone(ctx) {
    // Nothing later changes the counts: the record is the proof.
    return ctx.stepRecord('pin-retries')?.status === 'done';
  },
  async run(ctx) {
    const want = { pin: ctx.config.pinRetries, puk: ctx.config.pukRetries };
    const counts = await cardRetryCounts(ctx);
    if (counts.pin === want.pin && counts.puk === want.puk) return recordRetries(ctx, { keptByCard: false, ...counts });
    if (ctx.identity.capabilities.extensions.setPinRetries === 'no') {
      return recordRetries(ctx, { keptByCard: true, ...counts }, 'the card has no SET PIN RETRIES');
    }
    if (ctx.stepRecord(PUK_STEP)?.status === 'done' || ctx.previouslyAttempted(PIN_STEP)) {
      // FA would reset a cardholder PIN/PUK already set: keep the card's counts.
      return recordRetries(ctx, { keptByCard: true, ...counts }, 'PIN or PUK already personalized');
    }
    if (!ctx.pinVerified) await verifyPinOnCard(ctx, FactoryDefaults.PIN);
    try {
      // FA sets the PIN back to its default: whatever the card's PIN status is after it, the run no longer counts on it.
      ctx.pinVerified = false;
      await ctx.session.setPinRetries(want.pin, want.puk);
      ctx.retryTotalsInRun.set(KeyRef.PIN, want.pin).set(KeyRef.PUK, want.puk);
    } catch (e) {
      if (!isStationError(e, ...OPTIONAL_REFUSED)) throw e;
      const sw = typeof e.details.sw === 'string' ? Number.parseInt(e.details.sw, 16) : undefined;
      if (sw !== undefined && recognitionState(sw) === 'no') {
        // Not probed by a production's identify (issue 14): the command itself showed the card does not have it.
        return recordRetries(ctx, { keptByCard: true, ...counts }, 'the card has no SET PIN RETRIES');
      }
      return recordRetries(ctx, { keptByCard: true, ...counts }, `the card refused SET PIN RETRIES (${String(e.details.sw ?? e.code)})`);
    }
    return recordRetries(ctx, { keptByCard: false, ...want });
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

/** Card answers that refuse a SET MANAGEMENT KEY without changing the key (the command is atomic). */
const LOCK_REFUSED = ['BAD_DATA', 'UNSUPPORTED', 'SW', 'CONDITIONS', 'SECURITY_STATUS'] as const;

/** Records the lock target on the card record ("locking") before SET MANAGEMENT KEY. */
function markLocking(ctx: StepContext, algorithm: ManagementKeyAlgorithm): { algorithm: ManagementKeyAlgorithm; version: number } {
  const version = ctx.keyring.currentMasterKeyVersion;
  ctx.updateCard({ mgmtKeyAlg: algorithm, mgmtKeyVersion: version, mgmtKeyState: 'locking' });
  return { algorithm, version };
}

/**
 * SET MANAGEMENT KEY to the card's derived key, then proves it by authenticating with it.
 *
 * The two APDUs of that authentication are kept (issue 14 weighed them): they
 * are the only proof that the card holds the key the station records — 9000
 * to SET MANAGEMENT KEY says the card took a command, not that it stored
 * those bytes under that algorithm, and a card recorded "locked" with a key
 * the station cannot use could never be administered again (only reset). The
 * same acceptance is the verify step's proof that 9B is no longer the factory
 * key (verify-card.ts managementKeyProven), which otherwise costs a GET
 * METADATA and, on a card without it, a refused factory-key authentication.
 */
async function setDerivedKey(ctx: StepContext, target: { algorithm: ManagementKeyAlgorithm; version: number }): Promise<void> {
  const key = derivedKeyFor(ctx.keyring, ctx.card, target.algorithm, target.version);
  await ctx.session.setManagementKey(target.algorithm, key);
  await ctx.session.authenticateManagementKey(target.algorithm, key);
  ctx.authenticatedWith = 'derived';
  ctx.authenticatedAlgorithm = target.algorithm;
  ctx.updateCard({ mgmtKeyState: 'locked' });
}

/**
 * The card refused SET MANAGEMENT KEY: it still holds the transport key the
 * run authenticated with. The record says so again (state 'transport'), proven
 * by authenticating with that key, so a retry starts from what the card holds.
 */
async function backOnTransportKey(ctx: StepContext): Promise<ManagementKeyAlgorithm> {
  const algorithm = ctx.authenticatedAlgorithm!;
  ctx.updateCard({ mgmtKeyState: 'transport' });
  const transport = transportCandidate(algorithm);
  await ctx.session.authenticateManagementKey(algorithm, transport.key);
  return algorithm;
}

/**
 * Replaces the transport management key with the card's derived key
 * (SP 800-108 KDF over the GUID, DESIGN.md "Lock and secrets"), then proves it
 * by authenticating with the new key. The algorithm comes from what the card
 * showed (management-keys.ts lockAlgorithm). A card that refuses it with that
 * algorithm is locked with the algorithm its transport key has; a card that
 * refuses both stays on its transport key, as its record then says, and the
 * job can be retried.
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
    const resuming = ctx.card.mgmtKeyState === 'locking' && ctx.card.mgmtKeyAlg && ctx.card.mgmtKeyVersion;
    const target = resuming
      ? { algorithm: ctx.card.mgmtKeyAlg as ManagementKeyAlgorithm, version: ctx.card.mgmtKeyVersion! }
      : markLocking(ctx, lockAlgorithm(ctx.identity, ctx.authenticatedAlgorithm ?? 'TDEA'));
    try {
      await setDerivedKey(ctx, target);
      return { algorithm: target.algorithm, keyVersion: target.version };
    } catch (e) {
      if (!isStationError(e, ...LOCK_REFUSED) || ctx.authenticatedWith !== 'transport') throw e;
      const refused = { algorithm: target.algorithm, sw: String(e.details.sw ?? e.code), code: e.code };
      const fallback = await backOnTransportKey(ctx);
      if (fallback !== target.algorithm) {
        try {
          const second = markLocking(ctx, fallback);
          await setDerivedKey(ctx, second);
          return { algorithm: second.algorithm, keyVersion: second.version, refused: `${refused.algorithm} (${refused.sw})` };
        } catch (again) {
          if (!isStationError(again, ...LOCK_REFUSED)) throw again;
          await backOnTransportKey(ctx);
        }
      }
      throw new StationError(
        refused.code,
        'The card refused to change its management key, so it is not locked; it still holds its transport key, as its record says. Retry the job, or cancel it and use another card.',
        { sw: refused.sw, algorithm: refused.algorithm },
        true,
      );
    }
  },
};
