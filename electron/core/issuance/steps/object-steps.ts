/**
 * The other data objects: CCC, Discovery, Printed Information, Key History
 * (SP 800-73-4 Part 1 §3.1.1, §3.3.2, §3.1.5, §3.3.3). Each is read first and
 * written only when the card holds other bytes (card-objects.ts); the bytes on
 * the card afterwards are recorded with the step and prove it on a retry. An
 * object the card fixes (it refuses the write) is kept when acceptable and
 * recorded as card-defined.
 */
import { randomBytes } from 'node:crypto';
import { ObjectTag } from '../../piv/constants.js';
import { encodeCcc } from '../../piv/objects/ccc.js';
import { encodeDiscovery } from '../../piv/objects/discovery.js';
import { encodePrintedInformation } from '../../piv/objects/printed-information.js';
import { encodeKeyHistory } from '../../piv/objects/key-history.js';
import { buildSecurityObject, STATION_DATA_GROUPS, type DataGroup } from '../../piv/objects/security-object.js';
import { bytesEqual, concatBytes, fromHex, toHex } from '../../piv/tlv.js';
import { CARD_DEFINABLE, readObject, writeObject } from '../card-objects.js';
import { isStationError, StationError } from '../../errors.js';
import type { ProfileBiometric, ProfileObject } from '../../../contract/card-profile.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { printedDate } from '../card-numbering.js';
import { CHUID_STEP } from './chuid-step.js';
import { printedInformationOf } from '../../physical/printed-card.js';
import { PREPARE_FACIAL_IMAGE_STEP, prepareFacialImage } from './facial-image-prepare-step.js';

/** CCC card identifier prefix: GSC-IS RID A0 00 00 01 16, manufacturer FF, card type 02 (Part 1 Table 8). */
const CCC_ID_PREFIX = Uint8Array.of(0xa0, 0x00, 0x00, 0x01, 0x16, 0xff, 0x02);
/** Random part of the CCC card identifier. */
const CCC_ID_RANDOM_LENGTH = 14;

interface ObjectSpec {
  name: string;
  label: string;
  activity: string;
  tag: number;
  /** SP 800-73-4 name of the object, for sentences. */
  objectName: string;
  /** True when reading the object back needs the PIN (Part 1 Table 3). */
  pinToRead?: boolean;
  /**
   * True when every build makes bytes no card can hold yet (a fresh random card
   * identifier, a fresh signature with a random ECDSA nonce): a freshly built
   * object is written without a read before it (card-objects.ts `newToCard`).
   */
  fresh?: boolean;
  build(ctx: StepContext): Uint8Array | Promise<Uint8Array>;
}

/** A step that writes one object (read first) and proves it by reading it back. */
function objectStep(spec: ObjectSpec): ProductionStep {
  const recorded = (ctx: StepContext): Uint8Array | undefined => {
    const hex = ctx.stepData(spec.name)?.content;
    return typeof hex === 'string' ? fromHex(hex) : undefined;
  };
  return {
    name: spec.name,
    label: spec.label,
    activity: spec.activity,
    async isDone(ctx) {
      const want = recorded(ctx);
      if (!want) return false;
      const got = await readObject(ctx, spec.tag, spec.pinToRead);
      return !!got && bytesEqual(got, want);
    },
    async run(ctx) {
      const record = recorded(ctx);
      const content = record ?? (await spec.build(ctx));
      const judge = CARD_DEFINABLE.get(spec.tag);
      const out = await writeObject(ctx, { tag: spec.tag, name: spec.objectName, pinToRead: spec.pinToRead, judgeCardContent: judge }, content, {
        newToCard: spec.fresh === true && record === undefined,
      });
      return { content: toHex(out.content), outcome: out.outcome };
    },
  };
}

/**
 * Printed Information of the job's card (Part 1 Table 14: field lengths are hard limits): the
 * values the card face prints, from the job's snapshot (issue 11), so chip and card agree. Jobs
 * created before the snapshot existed write what they always wrote.
 */
function printedInformation(ctx: StepContext): Uint8Array {
  if (ctx.params.printed) return encodePrintedInformation(printedInformationOf(ctx.params.printed));
  const name = `${ctx.person.givenName} ${ctx.person.surname}`.slice(0, 125);
  return encodePrintedInformation({
    name,
    employeeAffiliation: ctx.profile.printedAffiliation,
    expirationDate: printedDate(ctx.card.expirationDate),
    agencyCardSerial: ctx.card.credentialNumber,
    issuerId: ctx.config.issuerId,
    organizationAffiliation1: ctx.config.organization.slice(0, 20),
  });
}

export const cccStep = objectStep({
  name: 'object.ccc',
  label: 'Write the Card Capability Container',
  activity: 'writing the Card Capability Container',
  tag: ObjectTag.CCC,
  objectName: 'Card Capability Container',
  fresh: true, // its card identifier ends in 14 new random bytes
  build: () => encodeCcc(concatBytes(CCC_ID_PREFIX, new Uint8Array(randomBytes(CCC_ID_RANDOM_LENGTH)))),
});

export const discoveryStep = objectStep({
  name: 'object.discovery',
  label: 'Write the Discovery object',
  activity: 'writing the Discovery object',
  tag: ObjectTag.DISCOVERY,
  objectName: 'Discovery object',
  build: () => encodeDiscovery(),
});

export const printedInformationStep = objectStep({
  name: 'object.printed-information',
  label: 'Write the Printed Information',
  activity: 'writing the Printed Information',
  tag: ObjectTag.PRINTED_INFORMATION,
  objectName: 'Printed Information',
  pinToRead: true,
  build: printedInformation,
});

/** The Cardholder Facial Image as the profile sized it (the prepare step), written and read back. */
const facialImageAsPrepared = objectStep({
  name: 'object.facial-image',
  label: 'Write the Cardholder Facial Image',
  activity: 'writing the Cardholder Facial Image',
  tag: ObjectTag.FACIAL_IMAGE,
  objectName: 'Cardholder Facial Image',
  pinToRead: true,
  build: (ctx) => {
    const hex = ctx.stepData(PREPARE_FACIAL_IMAGE_STEP)?.content;
    if (typeof hex !== 'string') throw new StationError('INTERNAL', 'The facial image was not prepared before it was written.');
    return fromHex(hex);
  },
});

/**
 * The Cardholder Facial Image (5FC108, PIN to read): the content the prepare step built and sized
 * to the profile's room before anything was written. Cards differ in the room they give one object
 * (SP 800-73-4 Part 1 Table 13 sets only the maximum, 12 704 bytes; no standard command tells a
 * card's limit), so the card is the authority: a card that answers 6A84 (not enough memory,
 * ISO/IEC 7816-4 §5.6) to the write stores nothing, and smaller images are offered until it takes
 * one or the smallest acceptable image (240 × 320) does not fit either (CARD_INCAPABLE).
 */
export const facialImageStep: ProductionStep = {
  ...facialImageAsPrepared,
  async run(ctx) {
    try {
      return await facialImageAsPrepared.run(ctx);
    } catch (e) {
      if (!isStationError(e, 'CARD_FULL')) throw e;
    }
    let refused = fromHex(ctx.stepData(PREPARE_FACIAL_IMAGE_STEP)!.content as string).length;
    for (;;) {
      const smaller = await prepareFacialImage(ctx, refused - 1, 'the card');
      try {
        const out = await writeObject(ctx, { tag: ObjectTag.FACIAL_IMAGE, name: 'Cardholder Facial Image', pinToRead: true }, smaller.content);
        return { content: toHex(out.content), outcome: out.outcome, resized: { width: smaller.width, height: smaller.height, quality: smaller.quality, bytes: smaller.content.length, refusedBytes: refused } };
      } catch (e) {
        if (!isStationError(e, 'CARD_FULL')) throw e;
        refused = smaller.content.length;
      }
    }
  },
};

export const keyHistoryStep = objectStep({
  name: 'object.key-history',
  label: 'Write the Key History object',
  activity: 'writing the Key History object',
  tag: ObjectTag.KEY_HISTORY,
  objectName: 'Key History object',
  build: () => encodeKeyHistory(0, 0),
});

/**
 * The data groups the Security Object covers on a card made with a profile writing `objects`:
 * the CHUID and CCC always, and each optional non-certificate object the profile writes
 * (SP 800-73-4 Part 1 §3.1.7: at least the unsigned objects, e.g. Printed Information).
 */
export function securityObjectGroups(objects: readonly ProfileObject[], biometrics: readonly ProfileBiometric[] = []): DataGroup[] {
  const g = STATION_DATA_GROUPS;
  const optional: [ProfileObject, DataGroup][] = [
    ['printed', g.printed],
    ['discovery', g.discovery],
    ['key-history', g.keyHistory],
  ];
  const written = optional.filter(([o]) => objects.includes(o)).map(([, group]) => group);
  // The biometric objects are signed themselves and covered too (Part 1 §3.1.7 recommends every object but certificates).
  if (biometrics.includes('facial')) written.push(g.facial);
  return [g.chuid, g.ccc, ...written];
}

/** Where each covered object's bytes are recorded: the step that wrote it and its data key. */
const RECORDED_BY_TAG = new Map<number, { step: string; key: string }>([
  [ObjectTag.CHUID, { step: CHUID_STEP, key: 'chuid' }],
  [ObjectTag.CCC, { step: 'object.ccc', key: 'content' }],
  [ObjectTag.DISCOVERY, { step: 'object.discovery', key: 'content' }],
  [ObjectTag.PRINTED_INFORMATION, { step: 'object.printed-information', key: 'content' }],
  [ObjectTag.KEY_HISTORY, { step: 'object.key-history', key: 'content' }],
  [ObjectTag.FACIAL_IMAGE, { step: 'object.facial-image', key: 'content' }],
]);

/**
 * The Security Object over the objects as they are on the card. It runs after
 * every object it covers: each of those steps either wrote its recorded bytes
 * in this run or proved them on the card by read-back (isDone), so the
 * recorded bytes are the card's and no object is read again. An object with no
 * record (not expected) is read from the card.
 * @throws StationError VERIFY_FAILED when a covered object is missing from the card
 */
async function securityObject(ctx: StepContext): Promise<Uint8Array> {
  const covered: { group: DataGroup; content: Uint8Array }[] = [];
  for (const group of securityObjectGroups(ctx.profile.objects, ctx.profile.biometrics)) {
    const where = RECORDED_BY_TAG.get(group.tag);
    const hex = where ? ctx.stepData(where.step)?.[where.key] : undefined;
    let content = typeof hex === 'string' ? fromHex(hex) : undefined;
    content ??= (await readObject(ctx, group.tag, group.tag === ObjectTag.PRINTED_INFORMATION || group.tag === ObjectTag.FACIAL_IMAGE)) ?? undefined;
    if (!content) {
      throw new StationError('VERIFY_FAILED', 'An object the Security Object covers is not on the card.', { containerId: group.containerId });
    }
    covered.push({ group, content });
  }
  return buildSecurityObject(covered, (lds) => ctx.ca.signSecurityObject(lds));
}

export const securityObjectStep = objectStep({
  name: 'object.security-object',
  label: 'Write the Security Object',
  activity: 'writing the Security Object',
  tag: ObjectTag.SECURITY_OBJECT,
  objectName: 'Security Object',
  fresh: true, // signed now by the content signer (ECDSA, a random nonce per signature: local-ca.ts)
  build: securityObject,
});
