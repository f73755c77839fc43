/**
 * The Application Property Template a SELECT of PIV returns (SP 800-73-4
 * Part 2 §3.1.1, Tables 3–5): `61 { 4F AID/PIX, 79 {…}, 50 label, 5F50 URL,
 * AC { 80 alg, … 06 OID } … }`. Parsed by its structure: every element may be
 * absent, and the cryptographic algorithms template (AC) may appear more
 * than once; cards that answer with an empty or odd APT are still PIV cards.
 */
import { Tag } from './constants.js';
import { decodeTlvs, findTlv, readTlv, type Tlv } from './tlv.js';

/** What the station reads from an APT. */
export interface ApplicationProperties {
  /** "major.minor" from the last two bytes of 4F (PIX or AID with version); undefined when absent. */
  applicationVersion?: string;
  /** Mechanism bytes of every AC/80 (SP 800-78-4 Table 6-2), in the card's order, without repeats. */
  algorithms: number[];
}

/** Algorithm identifier inside the cryptographic algorithms template (73-2 Table 3). */
const APT_ALGORITHM_ID = 0x80;

/**
 * Parses a SELECT response body. Never throws: what cannot be read is unknown.
 * @param apt the R-APDU data of SELECT (normally `61 L …`)
 */
export function parseApplicationProperties(apt: Uint8Array): ApplicationProperties {
  const out: ApplicationProperties = { algorithms: [] };
  let elements: Tlv[];
  try {
    const { tlv } = readTlv(apt, 0);
    if (tlv.tag !== Tag.APT) return out;
    elements = decodeTlvs(tlv.value);
  } catch {
    return out;
  }
  const aid = findTlv(elements, Tag.APT_AID);
  if (aid && aid.length >= 2) out.applicationVersion = `${aid[aid.length - 2]}.${aid[aid.length - 1]}`;
  for (const template of elements.filter((e) => e.tag === Tag.APT_ALGORITHMS)) {
    let inner: Tlv[];
    try {
      inner = decodeTlvs(template.value);
    } catch {
      continue;
    }
    for (const e of inner) {
      if (e.tag === APT_ALGORITHM_ID && e.value.length === 1 && !out.algorithms.includes(e.value[0]!)) out.algorithms.push(e.value[0]!);
    }
  }
  return out;
}
