/**
 * What no fallback can replace, checked before anything is written (issue 9
 * §1, DESIGN.md "The seams"): a way to change the management key (or the card
 * cannot be locked), key generation for every algorithm the profile asks for
 * (where the card lists its algorithms), room for every certificate the
 * profile writes, and the transport PIN and PUK the PIN and PUK steps start from. Each refusal is a sentence for the officer naming what the
 * card lacks; every other difference between cards has a fallback.
 */
import { generateKeyPairSync } from 'node:crypto';
import { FactoryDefaults, KEY_ALG_ID, KEY_ALGORITHM_NAMES, KeyRef, OBJECT_MIN_CAPACITY, SLOT_CERT_OBJECT, type KeyAlgorithm } from '../piv/constants.js';
import { algorithmName } from '../piv/capabilities.js';
import { certContainerLength } from '../piv/objects/cert-container.js';
import type { CardPublicKey } from '../piv/public-key.js';
import type { CardIdentity } from '../piv/session.js';
import { isStationError, StationError } from '../errors.js';
import type { KeyMetadata } from '../piv/metadata.js';
import { attempted, escrowedPuk, PIN_STEP, PUK_STEP, verifyPinOnCard } from './card-secrets.js';
import type { StepContext } from './job-types.js';
import { issueRequestFor, SLOT_NAMES } from './steps/slot-steps.js';

/** The identity of a card before the identify step ran: nothing known yet. */
export function unidentified(): CardIdentity {
  const unknown = 'unknown' as const;
  return {
    capabilities: {
      extensions: { getVersion: unknown, getSerial: unknown, getMetadata: unknown, setPinRetries: unknown, setManagementKey: unknown, attest: unknown, reset: unknown, moveKey: unknown },
      extendedLength: false,
      advertisedAlgorithms: [],
    },
    managementKey: {},
    advertisedAlgorithmIds: [],
  };
}

/** Asymmetric mechanisms (SP 800-78-4 Table 6-2; YubiKey 05/16/E0/E1): a SELECT list naming none of them says nothing about key generation. */
const ASYMMETRIC_MECHANISMS: ReadonlySet<number> = new Set([0x05, 0x06, 0x07, 0x11, 0x14, 0x16, 0xe0, 0xe1]);

/** Bytes by which two certificates of one request may differ (random serial, ECDSA signature length). */
const CERTIFICATE_SIZE_MARGIN = 8;

/** `nothing was written` ending of every preflight sentence. */
const NOTHING_WRITTEN = 'Nothing was written to the card.';

function incapable(sentence: string, missing: string, details: Record<string, string | number> = {}): StationError {
  return new StationError('CARD_INCAPABLE', `${sentence} ${NOTHING_WRITTEN}`, { missing, ...details }, false);
}

/**
 * Refuses a card that cannot be locked: it answered SET MANAGEMENT KEY as an
 * instruction it does not have. A card the record says this station may
 * already have locked is not refused (it evidently could).
 */
function checkLock(ctx: StepContext): void {
  if (ctx.card.mgmtKeyState !== 'transport') return;
  if (ctx.identity.capabilities.extensions.setManagementKey !== 'no') return;
  throw incapable(
    'This card has no command to change its management key (SET MANAGEMENT KEY), so the station cannot lock it to a key of its own.',
    'setManagementKey',
  );
}

/** Refuses a card whose SELECT answer lists its algorithms without one the profile needs for a slot. */
function checkAlgorithms(ctx: StepContext): void {
  const listed = ctx.identity.advertisedAlgorithmIds;
  if (!listed.some((id) => ASYMMETRIC_MECHANISMS.has(id))) return; // the card does not say: GENERATE will tell
  for (const slot of ctx.profile.slots) {
    const algorithm = ctx.params.algorithms[slot];
    if (listed.includes(KEY_ALG_ID[algorithm])) continue;
    throw incapable(
      `This card does not offer ${KEY_ALGORITHM_NAMES[algorithm]} (it lists ${listed.map(algorithmName).join(', ')}), so it cannot generate the ${SLOT_NAMES[slot]} key (${slot}) the card profile asks for.`,
      `keyGeneration:${algorithm}`,
      { slot },
    );
  }
}

/** A throwaway public key per algorithm, generated once per process: certificate sizes depend on the algorithm, not the key. */
const sampleKeys = new Map<KeyAlgorithm, CardPublicKey>();
function sampleKey(algorithm: KeyAlgorithm): CardPublicKey {
  let key = sampleKeys.get(algorithm);
  if (!key) {
    const pair =
      algorithm === 'RSA2048'
        ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 })
        : generateKeyPairSync('ec', { namedCurve: algorithm === 'P384' ? 'secp384r1' : 'prime256v1' });
    key = { algorithm, spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })) };
    sampleKeys.set(algorithm, key);
  }
  return key;
}

/**
 * Refuses a card with no room for a certificate the profile writes: the CA's
 * size for this card's certificate, in its container, against the capacity
 * every PIV card provides (SP 800-73-4 Part 1 Table 3; no standard command
 * reads a card's real limit). The station writes certificates uncompressed
 * (CertInfo 00): not every client reads the gzip form.
 */
async function checkRoom(ctx: StepContext): Promise<void> {
  if (!ctx.ca.certificateSize) return;
  for (const slot of ctx.profile.slots) {
    const algorithm = ctx.params.algorithms[slot];
    const size = certContainerLength((await ctx.ca.certificateSize(issueRequestFor(ctx, slot, sampleKey(algorithm)))) + CERTIFICATE_SIZE_MARGIN);
    const capacity = OBJECT_MIN_CAPACITY.get(SLOT_CERT_OBJECT[slot])!;
    if (size <= capacity) continue;
    throw incapable(
      `The ${SLOT_NAMES[slot]} certificate (${slot}) would take up to ${size} bytes, more than the ${capacity} bytes a PIV card guarantees for it (SP 800-73-4 Part 1 Table 3).`,
      `room:${slot}`,
      { slot, size, capacity },
    );
  }
}

/** The station stops before the last try of a PIN: spending it could block the card. */
const LAST_TRY = 1;

/** GET METADATA of a PIN or PUK where the card has it; null when it does not say (absent, refused, malformed). */
async function referenceMetadata(ctx: StepContext, ref: number): Promise<KeyMetadata | null> {
  if (ctx.identity.capabilities.extensions.getMetadata !== 'yes') return null;
  try {
    const md = await ctx.session.getMetadata(ref);
    if (md?.retries) ctx.retryTotalsInRun.set(ref, md.retries.total);
    return md;
  } catch (e) {
    if (isStationError(e, 'UNSUPPORTED', 'BAD_DATA', 'SW', 'CONDITIONS', 'SECURITY_STATUS', 'MALFORMED_RESPONSE')) return null;
    throw e;
  }
}

/** The refusal for a card whose PIN or PUK is not the transport value the production starts from. */
function notTransport(which: 'PIN' | 'PUK', why: string, retriesLeft: number | undefined): StationError {
  return incapable(
    `This card's ${which} is not the factory ${which} the station starts from (${why}), so the station cannot set the cardholder's ${which}: reset the card to its factory state, or use another card.`,
    which === 'PIN' ? 'transportPin' : 'transportPuk',
    retriesLeft === undefined ? {} : { retriesLeft },
  );
}

/**
 * Proves that the card still holds the transport PIN and PUK the PIN and PUK
 * steps change (CHANGE REFERENCE DATA needs the current value, SP 800-73-4
 * Part 2 §3.2.2), before anything is written. Not asked when the job already
 * changed them (a retry), nor when a card of ours is taken over (the escrowed
 * PUK puts both back). The "default" flag of GET METADATA 80/81 is not taken
 * as proof either way: an independent card was observed to clear it for good
 * on any CHANGE REFERENCE DATA or RESET RETRY COUNTER, even back to the
 * factory value. Its retry counters are used: no try is spent when one or
 * none is left.
 * - PIN: one VERIFY with the transport PIN (which the production sends next
 *   anyway), its tries left read first (GET METADATA 80, else VERIFY without
 *   data, read by identify).
 * - PUK: where GET METADATA 81 gives its tries left, CHANGE REFERENCE DATA
 *   from the transport PUK to itself (a right PUK changes nothing); a card
 *   that does not say is proven by the PUK step itself (no standard command
 *   reads a PUK's state without spending a try). Kept although the PUK step
 *   proves the same PUK again (issue 14 weighed its APDU): only this check
 *   comes before the first write, so a card whose PUK is not the factory one
 *   is refused untouched instead of failing with its keys and certificates
 *   written; the PUK change cannot move here, as the PUK step records "in
 *   progress" and escrows the new PUK before touching the card.
 * @throws StationError CARD_INCAPABLE {missing: transportPin | transportPuk, retriesLeft}
 */
async function checkTransportSecrets(ctx: StepContext): Promise<void> {
  if (ctx.foreignCard && escrowedPuk(ctx, ctx.foreignCard.id)) return;
  if (!attempted(ctx, PUK_STEP)) {
    const left = (await referenceMetadata(ctx, KeyRef.PUK))?.retries?.remaining;
    if (left !== undefined) {
      if (left <= LAST_TRY) throw notTransport('PUK', triesWhy(left), left);
      try {
        await ctx.session.changePuk(FactoryDefaults.PUK, FactoryDefaults.PUK);
      } catch (e) {
        if (isStationError(e, 'WRONG_PUK')) throw notTransport('PUK', `the card refused it; ${String(e.details.retriesLeft)} tries left`, e.details.retriesLeft);
        if (isStationError(e, 'PUK_BLOCKED')) throw notTransport('PUK', triesWhy(0), 0);
        throw e;
      }
    }
  }
  if (attempted(ctx, PIN_STEP)) return;
  // identify read the PIN's tries moments ago in this session (GET METADATA 80, else VERIFY without data, 73-2 §3.2.1)
  // and nothing since touched the PIN: reading them again would say the same (issue 14). It asks only where identify got no count.
  const left = ctx.identity.pinTriesLeft ?? (await referenceMetadata(ctx, KeyRef.PIN))?.retries?.remaining;
  if (left !== undefined && left <= LAST_TRY) throw notTransport('PIN', triesWhy(left), left);
  try {
    await verifyPinOnCard(ctx, FactoryDefaults.PIN);
  } catch (e) {
    if (isStationError(e, 'WRONG_PIN')) throw notTransport('PIN', `the card refused it; ${String(e.details.retriesLeft)} tries left`, e.details.retriesLeft);
    if (isStationError(e, 'PIN_BLOCKED')) throw notTransport('PIN', triesWhy(0), 0);
    throw e;
  }
}

/** Why a PIN or PUK with one try or none left is not tried. */
function triesWhy(left: number): string {
  return left === 0 ? 'it is blocked' : 'one try is left, which the station does not spend';
}

/**
 * Runs every preflight check on the identified card (identify step), before
 * anything is written.
 * @throws StationError CARD_INCAPABLE (not retryable) naming what the card lacks
 */
export async function assertCardCanProduce(ctx: StepContext): Promise<void> {
  checkLock(ctx);
  checkAlgorithms(ctx);
  await checkRoom(ctx);
  await checkTransportSecrets(ctx);
}
