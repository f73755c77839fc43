/**
 * SELECT (SP 800-73-4 Part 2 §3.1.1, Tables 3–5).
 * The PIV AID is matched by prefix (≥ 5 bytes: ykman, yubico-piv-tool and
 * piv-go select with the RID alone). Any other AID → 6A82 and PIV stays selected.
 */
import { PIV_AID, PIV_PIX_VERSION, PIV_RID, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { bytesEqual, encodeTlv } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { SELECT_BY_NAME } from '../card-constants.js';
import type { CardContext } from './context.js';

/** Shortest AID prefix accepted as the PIV application. */
const MIN_AID_PREFIX = PIV_RID.length;

/** True when `aid` is a prefix (≥ 5 bytes) of the PIV AID. */
export function isPivAid(aid: Uint8Array): boolean {
  return aid.length >= MIN_AID_PREFIX && aid.length <= PIV_AID.length && bytesEqual(aid, PIV_AID.subarray(0, aid.length));
}

/** The Application Property Template: `61 { 4F PIX+version, 79 { 4F RID } }` (YubiKey layout). */
export function applicationPropertyTemplate(): Uint8Array {
  return encodeTlv(
    Tag.APT,
    encodeTlv(Tag.APT_AID, PIV_PIX_VERSION),
    encodeTlv(Tag.APT_ALLOCATION_AUTHORITY, encodeTlv(Tag.APT_AID, PIV_RID)),
  );
}

/** SELECT by name `00 A4 04 00 Lc AID [00]` → APT. */
export function select(cmd: CommandApdu, _ctx: CardContext): Uint8Array {
  if (cmd.p1 !== SELECT_BY_NAME) fail(Sw.INCORRECT_P1P2);
  if (!isPivAid(cmd.data)) fail(Sw.FILE_NOT_FOUND);
  return applicationPropertyTemplate();
}
