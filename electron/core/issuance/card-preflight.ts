/**
 * What no fallback can replace, checked before anything is written (issue 9
 * §1, DESIGN.md "The seams"): a way to change the management key (or the card
 * cannot be locked), key generation for every algorithm the profile asks for
 * (where the card lists its algorithms), and room for every certificate the
 * profile writes. Each refusal is a sentence for the officer naming what the
 * card lacks; every other difference between cards has a fallback.
 */
import { generateKeyPairSync } from 'node:crypto';
import { KEY_ALG_ID, KEY_ALGORITHM_NAMES, OBJECT_MIN_CAPACITY, SLOT_CERT_OBJECT, type KeyAlgorithm } from '../piv/constants.js';
import { algorithmName } from '../piv/capabilities.js';
import { certContainerLength } from '../piv/objects/cert-container.js';
import type { CardPublicKey } from '../piv/public-key.js';
import type { CardIdentity } from '../piv/session.js';
import { StationError } from '../errors.js';
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

/**
 * Runs every preflight check on the identified card (identify step), before
 * anything is written.
 * @throws StationError CARD_INCAPABLE (not retryable) naming what the card lacks
 */
export async function assertCardCanProduce(ctx: StepContext): Promise<void> {
  checkLock(ctx);
  checkAlgorithms(ctx);
  await checkRoom(ctx);
}
