/**
 * Reading and writing data objects during production, with the card as the
 * authority (issue 9 §1): every write of an object the card may already hold
 * reads it first (one GET DATA per object per run); equal bytes are left as
 * they are; a card that refuses to replace an object it fixes keeps it when
 * its content is acceptable ("card-defined"), and the job fails with the
 * object's name and the reason when it is not.
 */
import { ObjectTag, PIV_RID } from '../piv/constants.js';
import { decodeCcc, CCC_DATA_MODEL } from '../piv/objects/ccc.js';
import { decodeDiscovery, PIN_POLICY_PIV_PIN } from '../piv/objects/discovery.js';
import { decodeKeyHistory } from '../piv/objects/key-history.js';
import { bytesEqual } from '../piv/tlv.js';
import { isStationError, StationError } from '../errors.js';
import type { StepContext } from './job-types.js';
import { withCurrentPin } from './card-secrets.js';

/** How a write ended: written, already equal on the card, or kept as the card fixes it. */
export type WriteOutcome = 'written' | 'already-on-card' | 'card-defined';

/**
 * Codes of a PUT DATA the card refused for the object itself while the
 * management key is authenticated: 6A80 (data refused), 6A81 (function not
 * supported), 6982 (no access rule allows the write) — how cards answer a
 * write of an object they fix.
 */
const REFUSED_WRITE = ['BAD_DATA', 'UNSUPPORTED', 'SECURITY_STATUS'] as const;

/** A data object a step writes. */
export interface ObjectToWrite {
  tag: number;
  /** SP 800-73-4 name, for sentences ("Discovery object"). */
  name: string;
  /** True when reading it needs the PIN (Part 1 Table 3). */
  pinToRead?: boolean;
  /**
   * Whether content the card holds and refuses to replace can stand instead of
   * the station's: undefined when acceptable, else the reason it is not.
   * Absent: only the station's own bytes are acceptable (signed or personal objects).
   */
  judgeCardContent?(onCard: Uint8Array): string | undefined;
}

/**
 * The object as on the card now: read once per run (GET DATA), then from the
 * run's record of reads and writes. PIN-protected objects are read with the PIN verified (withCurrentPin).
 * @returns the content, or null when the card does not hold it
 */
export async function readObject(ctx: StepContext, tag: number, pinToRead = false): Promise<Uint8Array | null> {
  if (ctx.objectsOnCard.has(tag)) return ctx.objectsOnCard.get(tag)!;
  const content = pinToRead ? await withCurrentPin(ctx, () => ctx.session.getData(tag)) : await ctx.session.getData(tag);
  ctx.objectsOnCard.set(tag, content);
  ctx.readFromCard.add(tag);
  return content;
}

/**
 * Puts `content` on the card unless it is already there (read first).
 * `newToCard`: the caller knows the card cannot hold these bytes yet — they
 * carry something the card made in this run (a certificate of a key the card
 * generated in this card session) — so the read before the write, which could
 * only find other bytes, is not sent (issue 14). A refused write is judged as
 * always, by what the card holds: read then.
 * @returns what is on the card afterwards and how it got there
 * @throws StationError CARD_INCAPABLE (not retryable) when the card refuses the write and what it
 *   holds cannot stand for the object; other card and transport errors as PivSession.putData
 */
export async function writeObject(ctx: StepContext, object: ObjectToWrite, content: Uint8Array, options: { newToCard?: boolean } = {}): Promise<{ content: Uint8Array; outcome: WriteOutcome }> {
  const read = () => readObject(ctx, object.tag, object.pinToRead);
  const before = options.newToCard ? undefined : await read();
  if (before && bytesEqual(before, content)) return { content, outcome: 'already-on-card' };
  try {
    await ctx.session.putData(object.tag, content);
  } catch (e) {
    if (!isStationError(e, ...REFUSED_WRITE)) throw e;
    const onCard = before === undefined ? await read() : before;
    const details = { ...e.details, object: object.tag.toString(16).toUpperCase() };
    if (!onCard) {
      throw new StationError('CARD_INCAPABLE', `The card refused to write its ${object.name} and holds none, so this card cannot be produced.`, details, false);
    }
    const why = object.judgeCardContent ? object.judgeCardContent(onCard) : 'the station must write its own';
    if (why !== undefined) {
      throw new StationError('CARD_INCAPABLE', `The card keeps its own ${object.name} and refused to replace it, but that one cannot stay: ${why}.`, details, false);
    }
    return { content: onCard, outcome: 'card-defined' };
  }
  ctx.objectsOnCard.set(object.tag, content);
  ctx.readFromCard.delete(object.tag);
  return { content, outcome: 'written' };
}

/** Runs a decoder; a malformed object is "not readable". */
function decoded<T>(decode: () => T): T | string {
  try {
    return decode();
  } catch {
    return "the card's copy is not well formed";
  }
}

/** Second PIN usage policy byte: the global PIN is the primary PIN (Part 1 §3.3.2). */
const GLOBAL_PIN_PRIMARY = 0x20;

/** SP 800-73-4 Part 1 §3.3.2: a Discovery object the station can live with names PIV and lets the PIV PIN satisfy the access rules. */
export function judgeDiscovery(onCard: Uint8Array): string | undefined {
  const d = decoded(() => decodeDiscovery(onCard));
  if (typeof d === 'string') return d;
  if (!bytesEqual(d.aid.subarray(0, PIV_RID.length), PIV_RID)) return 'it names another application than PIV';
  const [usage, primary] = d.pinUsagePolicy;
  if ((usage & PIN_POLICY_PIV_PIN) === 0) return 'its PIN usage policy does not let the PIV Card Application PIN satisfy the access rules, while this station sets and verifies that PIN';
  if (primary === GLOBAL_PIN_PRIMARY) return 'its PIN usage policy makes the global PIN primary, while this station sets and verifies the PIV Card Application PIN';
  return undefined;
}

/** Key History (Part 1 §3.3.3): the station retires no key, so the card's copy must announce none. */
export function judgeKeyHistory(onCard: Uint8Array): string | undefined {
  const h = decoded(() => decodeKeyHistory(onCard));
  if (typeof h === 'string') return h;
  if (h.onCard + h.offCard > 0) return `it announces ${h.onCard + h.offCard} retired key(s) this station did not write`;
  return undefined;
}

/** CCC (Part 1 §3.1.1): any well-formed CCC of data model 10 describes the card. */
export function judgeCcc(onCard: Uint8Array): string | undefined {
  const c = decoded(() => decodeCcc(onCard));
  if (typeof c === 'string') return c;
  return c.dataModelNumber === CCC_DATA_MODEL ? undefined : `its data model number is ${c.dataModelNumber.toString(16)}, not 10`;
}

/** The objects whose card-fixed copy the station accepts, and how it judges them. */
export const CARD_DEFINABLE: ReadonlyMap<number, (onCard: Uint8Array) => string | undefined> = new Map([
  [ObjectTag.DISCOVERY, judgeDiscovery],
  [ObjectTag.KEY_HISTORY, judgeKeyHistory],
  [ObjectTag.CCC, judgeCcc],
]);
