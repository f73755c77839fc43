/**
 * The transfer forms of a signed CPR: the CMS ContentInfo as DER (what
 * `openssl cms -outform DER` writes), as base64 of that DER, or as PEM
 * (`-----BEGIN CMS-----` / `PKCS7`). Files dropped in the folder and HTTP
 * bodies may use any of them.
 */
import { StationError } from '../errors.js';
import { MAX_CPR_BYTES } from '../../contract/channels/cpr.js';

/** Largest signed CPR accepted, in bytes (DER, or its base64/PEM text): the contract's one limit. */
export const MAX_CPR_ENVELOPE_BYTES = MAX_CPR_BYTES;

/** DER universal constructed SEQUENCE tag: the first byte of a ContentInfo (X.690 §8.9). */
const DER_SEQUENCE_TAG = 0x30;

const PEM_ARMOUR = /-----BEGIN (?:CMS|PKCS7)-----([\s\S]*?)-----END (?:CMS|PKCS7)-----/;
const BASE64_TEXT = /^[A-Za-z0-9+/\s]+={0,2}\s*$/;

/**
 * Returns the DER ContentInfo from a DER, base64 or PEM envelope.
 * @throws StationError CPR_MALFORMED (empty, too large, or none of the three forms)
 */
export function decodeCprEnvelope(body: Uint8Array): Uint8Array {
  if (body.byteLength === 0) throw malformed('The CPR is empty.');
  if (body.byteLength > MAX_CPR_ENVELOPE_BYTES) throw malformed(`The CPR is larger than ${MAX_CPR_ENVELOPE_BYTES} bytes.`);
  if (body[0] === DER_SEQUENCE_TAG) return body;
  const text = Buffer.from(body).toString('latin1');
  const armoured = PEM_ARMOUR.exec(text);
  const b64 = armoured ? armoured[1]! : text;
  if (!BASE64_TEXT.test(b64)) throw malformed('The CPR is neither DER, base64 nor PEM CMS.');
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
  if (der.byteLength === 0 || der[0] !== DER_SEQUENCE_TAG) throw malformed('The CPR does not decode to a CMS structure.');
  return new Uint8Array(der);
}

function malformed(sentence: string): StationError {
  return new StationError('CPR_MALFORMED', `${sentence} Delete the CPR and submit it again as CMS SignedData.`, { field: 'envelope' });
}
