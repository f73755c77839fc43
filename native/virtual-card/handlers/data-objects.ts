/**
 * GET DATA and PUT DATA (SP 800-73-4 Part 2 §3.1.2, §3.3.1; Part 1 Table 3 ACRs).
 * Objects are stored as their content (the value of 53); Discovery (7E) and
 * the BIT group template (7F61) are stored and returned as whole TLVs.
 */
import { ObjectTag, PIN_PROTECTED_OBJECTS, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { decodeTlvs, encodeTlv, fromHex, readTlv, toHex } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { DATA_P1, DATA_P2 } from '../card-constants.js';
import { objectId } from '../state.js';
import { NO_DATA, type CardContext } from './context.js';

/** Objects that are their own TLV (no 53 wrapper). */
const RAW_TLV_OBJECTS: ReadonlySet<number> = new Set([ObjectTag.DISCOVERY, ObjectTag.BIT_GROUP]);
/** The 3-byte object tag ranges the card stores: 5FC1xx (PIV) and 5FFFxx (YubiKey-private). */
const PIV_OBJECT_PREFIX = 0x5fc1;
const VENDOR_OBJECT_PREFIX = 0x5fff;

function requireDataP1P2(cmd: CommandApdu): void {
  if (cmd.p1 !== DATA_P1 || cmd.p2 !== DATA_P2) fail(Sw.INCORRECT_P1P2);
}

function tagNumber(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n = (n << 8) | b;
  return n >>> 0;
}

/** True when `tag` names a data object this card can hold. */
export function isKnownObjectTag(tag: number): boolean {
  if (RAW_TLV_OBJECTS.has(tag)) return true;
  const prefix = tag >>> 8;
  return tag > 0xffff && (prefix === PIV_OBJECT_PREFIX || prefix === VENDOR_OBJECT_PREFIX);
}

/** Parses the tag list `5C L tag` of GET DATA. @throws 6A80 */
function requestedTag(data: Uint8Array): number {
  let tlvs;
  try {
    tlvs = decodeTlvs(data);
  } catch {
    return fail(Sw.INCORRECT_DATA);
  }
  const list = tlvs[0];
  if (tlvs.length !== 1 || list?.tag !== Tag.TAG_LIST || list.value.length < 1 || list.value.length > 3) {
    return fail(Sw.INCORRECT_DATA);
  }
  return tagNumber(list.value);
}

/**
 * GET DATA `00 CB 3F FF Lc 5C L tag` → `53 L content` (Discovery/BIT: their own TLV).
 * 6982 for PIN-protected objects without PIN, 6A82 when absent.
 */
export function getData(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  requireDataP1P2(cmd);
  const tag = requestedTag(cmd.data);
  if (!isKnownObjectTag(tag)) fail(Sw.FILE_NOT_FOUND);
  if (PIN_PROTECTED_OBJECTS.has(tag) && !ctx.security.pinVerified) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
  const stored = ctx.state.objects[objectId(tag)];
  if (stored === undefined) fail(Sw.FILE_NOT_FOUND);
  const content = fromHex(stored);
  return RAW_TLV_OBJECTS.has(tag) ? content : encodeTlv(Tag.DATA, content);
}

/** Splits PUT DATA's data field into the object tag and the content to store (undefined = delete). */
function parsePut(data: Uint8Array): { tag: number; content: Uint8Array | undefined } {
  try {
    const first = readTlv(data, 0);
    if (RAW_TLV_OBJECTS.has(first.tlv.tag)) {
      if (first.next !== data.length) fail(Sw.INCORRECT_DATA);
      return { tag: first.tlv.tag, content: first.tlv.value.length === 0 ? undefined : data };
    }
    if (first.tlv.tag !== Tag.TAG_LIST || first.tlv.value.length !== 3) fail(Sw.INCORRECT_DATA);
    const body = readTlv(data, first.next);
    if (body.tlv.tag !== Tag.DATA || body.next !== data.length) fail(Sw.INCORRECT_DATA);
    return { tag: tagNumber(first.tlv.value), content: body.tlv.value.length === 0 ? undefined : body.tlv.value };
  } catch (e) {
    if (e instanceof Error && e.name === 'CardStatusError') throw e;
    return fail(Sw.INCORRECT_DATA);
  }
}

/**
 * PUT DATA `00|10 DB 3F FF Lc 5C 03 tag 53 L content` (or a raw 7E / 7F61 TLV).
 * Needs 9B. `53 00` deletes the object (YubiKey convention). An object the
 * card's personality fixes is neither written nor deleted (its refusal SW);
 * content over the personality's size limit → 6A84.
 */
export function putData(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  requireDataP1P2(cmd);
  if (!ctx.security.managementAuthenticated) fail(Sw.SECURITY_STATUS_NOT_SATISFIED);
  const { tag, content } = parsePut(cmd.data);
  if (!isKnownObjectTag(tag)) fail(Sw.INCORRECT_DATA);
  const id = objectId(tag);
  const { readOnlyObjects, maxObjectSize } = ctx.state.personality;
  const refusal = readOnlyObjects[id];
  if (refusal !== undefined) fail(refusal);
  if (content === undefined) {
    delete ctx.state.objects[id];
    return NO_DATA;
  }
  if (content.length > maxObjectSize) fail(Sw.NOT_ENOUGH_MEMORY);
  ctx.state.objects[id] = toHex(content);
  return NO_DATA;
}
