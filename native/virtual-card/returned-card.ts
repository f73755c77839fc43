/**
 * A returned card (issue 9 §3 `factory-dirty`): what an earlier holder left on
 * a card that comes back into stock without a reset. PIN, PUK and 9B are
 * still the transport values (a card set up with yubico-piv-tool's defaults
 * keeps them), but the card holds:
 * - keys with certificates in 9A and 9D, a retired key in 82 with its
 *   certificate (5FC10D), and a 9C certificate whose key is gone;
 * - a CHUID of another issuer (the TIG worked-example FASC-N, unsigned),
 *   Printed Information, a Key History counting the retired key, a stale
 *   Security Object that no longer matches, a CCC and Discovery.
 * Certificates are self-signed by a throwaway "previous issuer" key, built
 * synchronously (DER by @peculiar/asn1-x509, signature by node:crypto).
 */
import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { ObjectTag, Tag } from '../../electron/core/piv/constants.js';
import { concatBytes, encodeTlv, fromHex, toHex } from '../../electron/core/piv/tlv.js';
import { KeyOrigin } from './card-constants.js';
import { factoryCcc, randomUuid } from './factory-objects.js';
import { defaultPinPolicy, resolveTouchPolicy } from './handlers/key-refs.js';
import { pkcs8Of } from './slot-crypto.js';
import { keyRefId, objectId, type SlotKeyState } from './state.js';

/** OIDs: commonName (X.520), ecdsa-with-SHA256 (RFC 5758). */
const OID_COMMON_NAME = '2.5.4.3';
const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** Retired key management key 1 and its certificate container (73-1 Table 3). */
const RETIRED_KEY_1 = 0x82;
const CERT_RETIRED_1 = 0x5fc10d;
/** The TIG worked-example FASC-N (piv-reference §3.1): a real-looking identity that is not this station's. */
const PREVIOUS_FASCN = fromHex('D0439458210C2C19A0846D83685A1082108CE73984108CA3FC');
const PREVIOUS_EXPIRATION = '20291231';
/** CertInfo "uncompressed" (73-1 App. A). */
const CERT_INFO_UNCOMPRESSED = 0x00;
/** Certificates of the earlier holder were valid from a year ago for two years. */
const DAY_MS = 86_400_000;

function commonName(cn: string): Name {
  return new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: OID_COMMON_NAME, value: new AttributeValue({ utf8String: cn }) })]),
  ]);
}

/** A DER certificate for `subjectKey`'s public key, signed by `issuerKey` (both EC P-256). */
function certificate(subjectKey: KeyObject, subject: string, issuerKey: KeyObject): Uint8Array {
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // positive INTEGER
  const now = Date.now();
  const signatureAlgorithm = new AlgorithmIdentifier({ algorithm: OID_ECDSA_WITH_SHA256 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial).buffer,
    signature: signatureAlgorithm,
    issuer: commonName('Previous Issuer CA'),
    validity: new Validity({ notBefore: new Date(now - 365 * DAY_MS), notAfter: new Date(now + 365 * DAY_MS) }),
    subject: commonName(subject),
    subjectPublicKeyInfo: AsnConvert.parse(createPublicKey(subjectKey).export({ format: 'der', type: 'spki' }), SubjectPublicKeyInfo),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = sign('sha256', tbsDer, issuerKey);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm, signatureValue: new Uint8Array(signature).buffer });
  return new Uint8Array(AsnConvert.serialize(cert));
}

/** A certificate container (73-1 Table 10): 70 cert, 71 CertInfo, FE 00. */
function certContainer(der: Uint8Array): Uint8Array {
  return concatBytes(
    encodeTlv(Tag.CERTIFICATE, der),
    encodeTlv(Tag.CERT_INFO, Uint8Array.of(CERT_INFO_UNCOMPRESSED)),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
}

function p256(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

function slotKey(ref: number, key: KeyObject): SlotKeyState {
  return { algorithm: 'P256', pkcs8: pkcs8Of(key), origin: KeyOrigin.GENERATED, pinPolicy: defaultPinPolicy(ref), touchPolicy: resolveTouchPolicy(undefined) };
}

/** Printed Information of the earlier holder (73-1 Table 14). */
function previousPrintedInformation(): Uint8Array {
  const text = (tag: number, s: string): Uint8Array => encodeTlv(tag, new TextEncoder().encode(s));
  return concatBytes(
    text(0x01, 'PREVIOUS HOLDER'),
    text(0x02, 'Employee'),
    text(0x04, '2029DEC31'),
    text(0x05, 'PREV-000001'),
    text(0x06, 'PREVIOUS'),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
}

/** The keys and objects an earlier holder left (see the module comment), keyed like CardState. */
export function returnedCardContent(): { keys: Record<string, SlotKeyState>; objects: Record<string, string> } {
  const issuer = p256();
  const auth = p256();
  const keyManagement = p256();
  const retired = p256();
  const lostSignatureKey = p256();
  const chuid = concatBytes(
    encodeTlv(0x30, PREVIOUS_FASCN),
    encodeTlv(0x34, randomUuid()),
    encodeTlv(0x35, new TextEncoder().encode(PREVIOUS_EXPIRATION)),
    encodeTlv(0x3e),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
  // A Security Object that maps the Printed Information to a hash nobody can verify any more.
  const staleSecurityObject = concatBytes(encodeTlv(0xba, fromHex('013001')), encodeTlv(0xbb, fromHex('3000')), encodeTlv(Tag.ERROR_DETECTION_CODE));
  return {
    keys: {
      [keyRefId(0x9a)]: slotKey(0x9a, auth),
      [keyRefId(0x9d)]: slotKey(0x9d, keyManagement),
      [keyRefId(RETIRED_KEY_1)]: slotKey(RETIRED_KEY_1, retired),
    },
    objects: {
      [objectId(ObjectTag.CHUID)]: toHex(chuid),
      [objectId(ObjectTag.CCC)]: toHex(factoryCcc()),
      [objectId(ObjectTag.CERT_PIV_AUTH)]: toHex(certContainer(certificate(auth, 'Previous Holder (PIV Authentication)', issuer))),
      [objectId(ObjectTag.CERT_DIGITAL_SIGNATURE)]: toHex(certContainer(certificate(lostSignatureKey, 'Previous Holder (Digital Signature)', issuer))),
      [objectId(ObjectTag.CERT_KEY_MANAGEMENT)]: toHex(certContainer(certificate(keyManagement, 'Previous Holder (Key Management)', issuer))),
      [objectId(CERT_RETIRED_1)]: toHex(certContainer(certificate(retired, 'Previous Holder (Retired Key 1)', issuer))),
      [objectId(ObjectTag.PRINTED_INFORMATION)]: toHex(previousPrintedInformation()),
      [objectId(ObjectTag.KEY_HISTORY)]: toHex(fromHex('C10101C20100FE00')),
      [objectId(ObjectTag.SECURITY_OBJECT)]: toHex(staleSecurityObject),
    },
  };
}
