/**
 * Per slot: generate the key on the card, have the CA certify it, load the
 * certificate into the slot's container (DESIGN.md table rows "per slot").
 * SP 800-73-4 Part 2 §3.3.2 (GENERATE), §3.2.4 (GENERAL AUTHENTICATE for the
 * CSR signature), Part 1 Table 10 (certificate container).
 */
import { KEY_ALGORITHM_NAMES, SLOT_CERT_OBJECT, type PivSlot } from '../../piv/constants.js';
import type { CardPublicKey } from '../../piv/public-key.js';
import { signWithCard } from '../../piv/card-signer.js';
import { decodeCertContainer, encodeCertContainer } from '../../piv/objects/cert-container.js';
import { bytesEqual, fromHex, toHex } from '../../piv/tlv.js';
import { buildCsr } from '../../pki/csr.js';
import { isStationError, StationError } from '../../errors.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import type { CertificateRecord } from '../../store/records.js';
import type { IssueRequest } from '../../pki/ca.js';
import { addMonths } from '../card-numbering.js';
import { withSlotPin } from '../card-secrets.js';
import { readObject, writeObject } from '../card-objects.js';
import { guidToUuid } from './chuid-step.js';
import { hashFor, isKeyAgreementOnly, slotHoldsKey } from './key-proof.js';
import { useSlotKey } from '../key-possession.js';

/** SP 800-73-4 names of the key slots, for labels and sentences. */
export const SLOT_NAMES: Record<PivSlot, string> = {
  '9A': 'PIV Authentication',
  '9C': 'Digital Signature',
  '9D': 'Key Management',
  '9E': 'Card Authentication',
};

/** Step names of a slot. */
export const slotStepNames = (slot: PivSlot) => ({ generate: `generate.${slot}`, certify: `certify.${slot}`, load: `load.${slot}` });

/** The public key recorded by the slot's generate step, if any. */
export function recordedPublicKey(ctx: StepContext, slot: PivSlot): CardPublicKey | undefined {
  const data = ctx.stepData(slotStepNames(slot).generate);
  if (typeof data?.publicKey !== 'string' || typeof data.algorithm !== 'string') return undefined;
  return { algorithm: data.algorithm as CardPublicKey['algorithm'], spki: fromHex(data.publicKey) };
}

/** This job's valid certificate for the slot's recorded key, if the CA issued one. */
export function validCertificateFor(ctx: StepContext, slot: PivSlot): CertificateRecord | undefined {
  const key = recordedPublicKey(ctx, slot);
  if (!key) return undefined;
  const spki = toHex(key.spki);
  return ctx.store.certificates.listByJob(ctx.job.id).find((c) => c.slot === slot && c.status === 'valid' && c.publicKeySpki === spki);
}

/**
 * Revokes (superseded) every valid certificate this job had issued for `slot`:
 * called before a new key replaces the slot's key, so no certificate stays
 * valid for a key that is no longer on the card.
 */
export async function revokeSlotCertificates(ctx: StepContext, slot: PivSlot, reason: 'superseded' | 'cessationOfOperation'): Promise<string[]> {
  const revoked: string[] = [];
  for (const cert of ctx.store.certificates.listByJob(ctx.job.id)) {
    if (cert.slot !== slot || cert.status !== 'valid') continue;
    await ctx.ca.revoke(cert.serial, reason);
    ctx.store.certificates.setStatus(cert.serial, 'revoked', reason);
    revoked.push(cert.serial);
  }
  return revoked;
}

function generateStep(slot: PivSlot): ProductionStep {
  const names = slotStepNames(slot);
  return {
    name: names.generate,
    label: `Generate the ${SLOT_NAMES[slot]} key (${slot})`,
    activity: `generating the ${SLOT_NAMES[slot]} key`,
    async isDone(ctx) {
      const key = recordedPublicKey(ctx, slot);
      return !!key && (await slotHoldsKey(ctx, slot, key));
    },
    async run(ctx) {
      const revoked = await revokeSlotCertificates(ctx, slot, 'superseded');
      // The slot's key is about to change: a proof of the key it held proves nothing about the next one.
      ctx.keysProvenInRun.delete(slot);
      const algorithm = ctx.params.algorithms[slot];
      let key: CardPublicKey;
      try {
        key = await ctx.session.generateKeyPair(slot, algorithm);
      } catch (e) {
        // 6A80 (mechanism refused), 6A86/6B00, 6A81: the card cannot make this key.
        if (!isStationError(e, 'BAD_DATA', 'UNSUPPORTED', 'SW')) throw e;
        throw new StationError('CARD_INCAPABLE', `This card cannot generate a ${KEY_ALGORITHM_NAMES[algorithm]} key in ${slot} (${SLOT_NAMES[slot]}), which the card profile asks for.`, { ...e.details, slot }, false);
      }
      ctx.generatedInRun.add(slot);
      return { algorithm, publicKey: toHex(key.spki), revokedBeforeRegeneration: revoked };
    },
  };
}

/** Subject of the proof-of-possession CSR (the CA sets the certificate subject from its profile). */
function csrSubject(ctx: StepContext): string {
  const escape = (s: string) => s.replace(/([,+"\\<>;=])/g, '\\$1');
  return `CN=${escape(`${ctx.person.givenName} ${ctx.person.surname}`)},O=${escape(ctx.config.organization)}`;
}

/** Certificate notAfter: the profile's validity, never past the card's expiration (CCT PKIX.13). */
function certificateNotAfter(ctx: StepContext): Date {
  const byProfile = addMonths(ctx.now(), ctx.profile.certificateValidityMonths);
  const last = byProfile < ctx.card.expirationDate ? byProfile : ctx.card.expirationDate;
  return new Date(`${last}T00:00:00Z`);
}

/** What the CA is asked for a slot's certificate (everything but the CSR). */
export function issueRequestFor(ctx: StepContext, slot: PivSlot, key: CardPublicKey): Omit<IssueRequest, 'csrDer'> {
  return {
    slot,
    publicKey: key,
    holder: {
      givenName: ctx.person.givenName,
      surname: ctx.person.surname,
      email: ctx.person.email ?? undefined,
      affiliation: ctx.person.affiliation,
    },
    fascn: fromHex(ctx.card.fascn),
    cardUuid: guidToUuid(ctx.card.guid),
    notAfter: certificateNotAfter(ctx),
  };
}

function certifyStep(slot: PivSlot): ProductionStep {
  const names = slotStepNames(slot);
  return {
    name: names.certify,
    label: `Certify the ${SLOT_NAMES[slot]} key (${slot})`,
    activity: `getting the ${SLOT_NAMES[slot]} certificate from the CA`,
    async isDone(ctx) {
      return !!validCertificateFor(ctx, slot);
    },
    async run(ctx) {
      const key = recordedPublicKey(ctx, slot);
      if (!key) throw new Error(`no recorded key for ${slot}`);
      let csrDer: Uint8Array | undefined;
      // An ECC key-management key may only do key agreement: the station, as
      // registration authority, submits the public key it read from the card.
      if (!isKeyAgreementOnly(slot, key)) {
        csrDer = await buildCsr({
          subject: csrSubject(ctx),
          publicKey: key,
          hash: hashFor(key) === 'SHA384' ? 'SHA-384' : 'SHA-256',
          sign: async (tbs) => {
            return withSlotPin(ctx, slot, () => useSlotKey(slot, key, () => signWithCard(ctx.session, slot, key, tbs, hashFor(key))));
          },
        });
      }
      // buildCsr verified the card's signature with `key`: the slot holds it, proven in this card session.
      if (csrDer) ctx.keysProvenInRun.set(slot, key.spki);
      const issued = await ctx.ca.issue({ ...issueRequestFor(ctx, slot, key), csrDer });
      const serial = issued.serial.toUpperCase(); // the station records hex in uppercase
      ctx.store.certificates.add({
        serial,
        cardId: ctx.card.id,
        jobId: ctx.job.id,
        slot,
        publicKeySpki: toHex(key.spki),
        der: issued.der,
        status: 'valid',
        notBefore: issued.notBefore.toISOString(),
        notAfter: issued.notAfter.toISOString(),
        issuedAt: ctx.now().toISOString(),
      });
      return { serial, popBy: csrDer ? 'csr-signed-on-card' : 'registration-authority' };
    },
  };
}

function loadStep(slot: PivSlot): ProductionStep {
  const names = slotStepNames(slot);
  const certificate = (ctx: StepContext): CertificateRecord => {
    const cert = validCertificateFor(ctx, slot);
    if (!cert) throw new Error(`no certificate for ${slot}`);
    return cert;
  };
  return {
    name: names.load,
    label: `Load the ${SLOT_NAMES[slot]} certificate (${slot})`,
    activity: `writing the ${SLOT_NAMES[slot]} certificate`,
    async isDone(ctx) {
      const cert = validCertificateFor(ctx, slot);
      // A key the card generated in this run is in no certificate on the card yet: nothing to read.
      if (!cert || ctx.generatedInRun.has(slot)) return false;
      const content = await readObject(ctx, SLOT_CERT_OBJECT[slot]);
      if (!content) return false;
      try {
        return bytesEqual(decodeCertContainer(content), cert.der);
      } catch (e) {
        if (isStationError(e, 'MALFORMED_RESPONSE')) return false;
        throw e;
      }
    },
    async run(ctx) {
      const cert = certificate(ctx);
      const { outcome } = await writeObject(ctx, { tag: SLOT_CERT_OBJECT[slot], name: `${SLOT_NAMES[slot]} certificate (${slot})` }, encodeCertContainer(cert.der), {
        newToCard: ctx.generatedInRun.has(slot),
      });
      return { serial: cert.serial, outcome };
    },
  };
}

/** The three steps of one slot, in order. */
export function slotSteps(slot: PivSlot): ProductionStep[] {
  return [generateStep(slot), certifyStep(slot), loadStep(slot)];
}
