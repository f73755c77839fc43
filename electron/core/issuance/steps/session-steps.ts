/**
 * The steps that always run at the start of every run of a job: select the PIV
 * application, make sure this is the job's card, authenticate as card
 * administrator (DESIGN.md table rows connect, identify, authenticate).
 */
import { KeyRef, ObjectTag } from '../../piv/constants.js';
import { decodeChuid } from '../../piv/objects/chuid.js';
import { isStationError, StationError } from '../../errors.js';
import { toHex } from '../../piv/tlv.js';
import type { ProbedExtension } from '../../piv/session.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { managementKeyCandidates, type ManagementKeyCandidate } from '../management-keys.js';
import { CHUID_STEP, guidToUuid } from './chuid-step.js';
import { takeoverMayDeleteKeys } from './takeover-step.js';
import { readObject } from '../card-objects.js';
import { assertCardCanProduce } from '../card-preflight.js';
import { transportAlgorithmsOf } from '../transport-key.js';
import { isIssuedCardStatus } from '../../../contract/state-machines.js';

/** SELECT the PIV application (the transport was opened exclusively by the engine). */
export const connectStep: ProductionStep = {
  name: 'connect',
  label: 'Connect to the card',
  activity: 'connecting to the card',
  async run(ctx) {
    await ctx.session.select();
    return { reader: ctx.session.transport.readerName, atr: toHex(ctx.session.transport.atr) };
  },
};

/** Statuses of a card record that mean the card is issued and must not be overwritten. */

/** GUID (32 hex) of the CHUID on the card, or undefined when the card has none. */
async function onCardGuid(ctx: StepContext): Promise<string | undefined> {
  const content = await readObject(ctx, ObjectTag.CHUID);
  if (!content || content.length === 0) return undefined;
  try {
    return toHex(decodeChuid(content).guid);
  } catch {
    return undefined; // a malformed CHUID identifies nothing; it will be overwritten
  }
}

/**
 * Probes what the card can do (recorded with the job and on the card record),
 * reads its serial (where it has GET SERIAL) and CHUID GUID, and decides
 * whether this job may work on it: the same card as before on a retry, not a
 * card issued to someone else, and a card that can carry the profile
 * (card-preflight.ts: refused before anything is written).
 */
export const identifyStep: ProductionStep = {
  name: 'identify',
  label: 'Identify the card',
  activity: 'identifying the card',
  async run(ctx) {
    // Only the extensions this job may need (issue 14): SET MANAGEMENT KEY while the card is on its transport key
    // (the preflight refuses a card that cannot be locked before anything is written). MOVE KEY is probed below, only
    // where the takeover may delete a key; SET PIN RETRIES is tried by its step where the counts differ (its refusal
    // is its fallback); GET VERSION and ATTEST answer nothing a production decides (the desk's identification still
    // probes them).
    const probe = new Set<ProbedExtension>(ctx.card.mgmtKeyState === 'transport' ? ['setManagementKey'] : []);
    ctx.identity = await ctx.session.identify({ probe });
    if (ctx.identity.pinRetryTotal !== undefined) ctx.retryTotalsInRun.set(KeyRef.PIN, ctx.identity.pinRetryTotal);
    // Discovery as identify's extended-length probe read it: the run's read of that object (issue 14).
    const discovery = ctx.session.readByIdentify(ObjectTag.DISCOVERY);
    if (discovery !== undefined && !ctx.objectsOnCard.has(ObjectTag.DISCOVERY)) {
      ctx.objectsOnCard.set(ObjectTag.DISCOVERY, discovery);
      if (discovery) ctx.readFromCard.add(ObjectTag.DISCOVERY);
    }
    // Retry counts are a production result (retries step): kept over a re-identification.
    const retries = ctx.card.capabilities?.retries;
    ctx.updateCard({ capabilities: { ...ctx.identity.capabilities, ...(retries ? { retries } : {}) } });
    const serial = ctx.identity.serial;
    if (ctx.card.chipSerial != null && serial != null && ctx.card.chipSerial !== serial) {
      // Names both cards: the officer holding two must know which one to put in (issue 13).
      throw new StationError('CARD_MISMATCH', `This is not the card this job started on: the reader holds the card with serial ${serial}; insert the card with serial ${ctx.card.chipSerial}.`, {
        expectedSerial: ctx.card.chipSerial,
        insertedSerial: serial,
      });
    }
    const guid = await onCardGuid(ctx);
    const ourChuidWritten = ctx.stepRecord(CHUID_STEP)?.status === 'done';
    if (ourChuidWritten && guid !== ctx.card.guid) {
      const held = guid ? `the card with GUID ${guidToUuid(guid)}` : 'a card without a CHUID';
      throw new StationError('CARD_MISMATCH', `This is not the card this job started on: the reader holds ${held}; insert the card with GUID ${guidToUuid(ctx.card.guid)}.`, {
        expectedGuid: ctx.card.guid,
        ...(guid ? { insertedGuid: guid } : {}),
      });
    }
    if (guid && guid !== ctx.card.guid) {
      const other = ctx.store.cards.findByGuid(guid);
      if (other && isIssuedCardStatus(other.status)) {
        throw new StationError('CARD_IN_USE', `This card is already issued (card number ${other.cardNumber ?? other.credentialNumber}); a security officer revokes and recycles it before it can be produced again.`, {
          cardId: other.id,
        });
      }
      if (other) ctx.foreignCard = other;
    }
    if (await takeoverMayDeleteKeys(ctx)) {
      // The takeover deletes a key where the card has DELETE KEY (MOVE KEY): probed before the PIN or 9B is verified.
      ctx.identity.capabilities.extensions.moveKey = await ctx.session.probeExtension('moveKey');
      ctx.updateCard({ capabilities: { ...ctx.identity.capabilities, ...(retries ? { retries } : {}) } });
    }
    await assertCardCanProduce(ctx);
    if (ctx.card.chipSerial == null && serial != null) ctx.updateCard({ chipSerial: serial });
    return {
      serial: serial ?? null,
      guidOnCard: guid ?? null,
      takesOver: ctx.foreignCard?.id ?? null,
      capabilities: ctx.identity.capabilities,
    };
  },
};

/**
 * Authenticates the card administrator key (9B), trying each candidate known
 * from the record at most once (DESIGN.md: never blind guessing). When the
 * card's 9B metadata says whether the key is still the default, the matching
 * candidates are tried first (the flag is a hint, not a proof); when it does
 * not say, that is unknown and authenticating decides. The transport key is tried under each algorithm the
 * card may hold it with (transport-key.ts); a wrong algorithm is refused
 * before any key comparison.
 */
export const authenticateStep: ProductionStep = {
  name: 'authenticate',
  label: 'Authenticate with the management key',
  activity: 'authenticating with the management key',
  async run(ctx) {
    const candidates = await candidatesFor(ctx);
    for (const candidate of candidates) {
      try {
        await ctx.session.authenticateManagementKey(candidate.algorithm, candidate.key);
        ctx.authenticatedWith = candidate.owner === 'foreign' ? 'foreign' : candidate.kind;
        ctx.authenticatedAlgorithm = candidate.algorithm;
        return { with: ctx.authenticatedWith, algorithm: candidate.algorithm };
      } catch (e) {
        if (!isStationError(e, 'MGMT_KEY_REJECTED')) throw e;
      }
    }
    throw new StationError(
      'MGMT_KEY_UNKNOWN',
      'The card refused every management key this station holds for it: it was not prepared by this station or was locked by another system. Nothing was written; do not retry with this card.',
      { tried: candidates.map((c) => c.kind).join(',') },
      false,
    );
  },
};

/** Candidates from the job's card record, then from a taken-over record; metadata orders them. */
async function candidatesFor(ctx: StepContext): Promise<(ManagementKeyCandidate & { owner: 'job' | 'foreign' })[]> {
  const transportAlgorithms = transportAlgorithmsOf(ctx.identity);
  type Owned = ManagementKeyCandidate & { owner: 'job' | 'foreign' };
  let list: Owned[] = managementKeyCandidates(ctx.keyring, ctx.card, transportAlgorithms).map((c) => ({ ...c, owner: 'job' as const }));
  if (ctx.foreignCard) {
    const foreign = managementKeyCandidates(ctx.keyring, ctx.foreignCard, transportAlgorithms).filter((c) => c.kind === 'derived');
    list = [...foreign.map((c) => ({ ...c, owner: 'foreign' as const })), ...list];
  }
  // GET METADATA 9B (read by identify), where it has the flag, says which key is more likely: tried first, never
  // the only one — an independent card keeps the flag cleared after its factory key was set back (observed).
  const isDefault = ctx.identity.managementKey.isDefault;
  if (isDefault !== undefined) {
    const first = isDefault ? 'transport' : 'derived';
    list = [...list.filter((c) => c.kind === first), ...list.filter((c) => c.kind !== first)];
  }
  // One attempt per distinct key.
  const seen = new Set<string>();
  return list.filter((c) => {
    const id = `${c.algorithm}:${toHex(c.key)}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

