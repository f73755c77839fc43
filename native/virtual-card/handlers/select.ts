/**
 * SELECT (SP 800-73-4 Part 2 §3.1.1, Tables 3–5).
 * The PIV AID is matched by prefix (≥ 5 bytes: ykman, yubico-piv-tool and
 * piv-go select with the RID alone). Any other AID → 6A82 and PIV stays selected.
 */
import { MGMT_ALG_ID, PIV_AID, PIV_PIX_VERSION, PIV_RID, Sw, Tag } from '../../../electron/core/piv/constants.js';
import { bytesEqual, concatBytes, encodeTlv } from '../../../electron/core/piv/tlv.js';
import { fail, type CommandApdu } from '../apdu.js';
import { SELECT_BY_NAME } from '../card-constants.js';
import type { CardPersonality } from '../personality.js';
import { MECHANISM_OF_ALGORITHM } from '../slot-crypto.js';
import type { CardContext } from './context.js';

/** Inside the algorithm template AC (Part 2 Table 3): 80 one algorithm identifier, 06 the object identifier (value 00). */
const APT_ALGORITHM_ID = 0x80;
const APT_ALGORITHM_OID = 0x06;

/** Shortest AID prefix accepted as the PIV application. */
const MIN_AID_PREFIX = PIV_RID.length;

/** True when `aid` is a prefix (≥ 5 bytes) of the PIV AID. */
export function isPivAid(aid: Uint8Array): boolean {
  return aid.length >= MIN_AID_PREFIX && aid.length <= PIV_AID.length && bytesEqual(aid, PIV_AID.subarray(0, aid.length));
}

/** `AC { 80 <alg> … 06 00 }`: the 9B algorithms, then the asymmetric ones, the card supports. */
function algorithmTemplate(p: CardPersonality): Uint8Array {
  const ids = [...p.managementKey.allowed.map((a) => MGMT_ALG_ID[a]), ...p.keyAlgorithms.map((a) => MECHANISM_OF_ALGORITHM[a])];
  return encodeTlv(
    Tag.APT_ALGORITHMS,
    concatBytes(...ids.map((id) => encodeTlv(APT_ALGORITHM_ID, Uint8Array.of(id))), encodeTlv(APT_ALGORITHM_OID, Uint8Array.of(0x00))),
  );
}

/**
 * The Application Property Template: `61 { 4F PIX+version | AID, 79 { 4F RID } [, AC …] }`.
 * The YubiKey layout (PIX + version, no AC) unless the personality says otherwise.
 */
export function applicationPropertyTemplate(p: CardPersonality): Uint8Array {
  return encodeTlv(
    Tag.APT,
    encodeTlv(Tag.APT_AID, p.application.aid === 'full' ? PIV_AID : PIV_PIX_VERSION),
    encodeTlv(Tag.APT_ALLOCATION_AUTHORITY, encodeTlv(Tag.APT_AID, PIV_RID)),
    p.application.advertiseAlgorithms ? algorithmTemplate(p) : new Uint8Array(0),
  );
}

/** SELECT by name `00 A4 04 00 Lc AID [00]` → APT. */
export function select(cmd: CommandApdu, ctx: CardContext): Uint8Array {
  if (cmd.p1 !== SELECT_BY_NAME) fail(Sw.INCORRECT_P1P2);
  if (!isPivAid(cmd.data)) fail(Sw.FILE_NOT_FOUND);
  return applicationPropertyTemplate(ctx.state.personality);
}
