/**
 * The embedded certificate authority (DESIGN.md "The seams": CertificateAuthority).
 *
 * Directory layout (`opts.dir`):
 * - `ca.json`    root CA (P-384, 20 y), issuing CA (P-384, 10 y, signed by root) and the CHUID/Security
 *                Object content signer (P-256, EKU id-PIV-content-signing): certificates in clear, private
 *                keys (PKCS#8) sealed with the SecretBox.
 * - `index.json` every issued certificate (serial, slot, subject, validity, status, revocation time and
 *                reason) and the CRL number; rewritten atomically (tmp + rename) on each change.
 * - `crl/issuing.crl` the latest CRL (DER), for the station's HTTP distribution point.
 */
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber } from '@peculiar/asn1-x509';
import { StationError } from '../errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import { PIV_SLOTS } from '../piv/constants.js';
import { x509 } from './x509-setup.js';
import type { CertificateAuthority, CertificateStatus, IssueRequest, IssuedCertificate, RevocationReason } from './ca.js';
import type { SecretBox } from './secret-box.js';
import { cardKeyObject, canonicalSpki } from './algorithms.js';
import { verifyCsr, formatDn } from './csr.js';
import { buildName } from './names.js';
import { Oid } from './oids.js';
import { DEFAULT_CRL_URL, SUBJECT_COUNTRY, contentSignerExtensions, slotProfile } from './profiles.js';
import { signBiometricContent, signChuidContent, signLdsSecurityObject, type ContentSigner } from './content-signer.js';

type Cert = InstanceType<typeof x509.X509Certificate>;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const CA_FILE = 'ca.json';
const INDEX_FILE = 'index.json';
const CRL_DIR = 'crl';
const CRL_FILE = 'issuing.crl';
const FORMAT = 1;
const DEFAULT_ORGANIZATION = 'PIV Station';
const SERIAL_BYTES = 16;
const ROOT_YEARS = 20;
const ISSUING_YEARS = 10;
/** How long a CRL is valid; the station re-issues it on every revocation anyway. */
const CRL_VALIDITY_DAYS = 7;
const MS_PER_DAY = 86_400_000;
const FASCN_BYTES = 25;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SEAL_LABEL = {
  root: 'ca/root/private-key',
  issuing: 'ca/issuing/private-key',
  contentSigner: 'ca/content-signer/private-key',
} as const;
type Role = keyof typeof SEAL_LABEL;

const ROOT_ALG = { name: 'ECDSA', namedCurve: 'P-384' } as const;
const CONTENT_SIGNER_ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** The root and the issuing CA sign with ECDSA P-384 / SHA-384 (SP 800-78-4 Table 3-3). */
const CA_SIGNING = { name: 'ECDSA', hash: 'SHA-384' } as const;

const REASON_CODE: Record<RevocationReason, number> = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
  certificateHold: x509.X509CrlReason.certificateHold,
};

interface StoredKeyPair {
  cert: string; // base64 DER
  key: string; // base64 sealed PKCS#8
}
interface CaFile {
  format: number;
  organization: string;
  root: StoredKeyPair;
  issuing: StoredKeyPair;
  contentSigner: StoredKeyPair;
}
/** One issued certificate in the index. */
export interface IndexEntry {
  serial: string;
  slot: string;
  subject: string;
  cardUuid: string;
  notBefore: string;
  notAfter: string;
  status: 'valid' | 'revoked' | 'hold';
  revokedAt?: string;
  reason?: RevocationReason;
}
interface IndexFile {
  format: number;
  crlNumber: number;
  certs: IndexEntry[];
}

const b64 = (b: Uint8Array | ArrayBuffer): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** A positive 16-byte serial (RFC 5280 §4.1.2.2): first byte 01…7F so DER keeps all 16 bytes. */
function randomSerial(): string {
  const s = randomBytes(SERIAL_BYTES);
  s[0] = (s[0]! & 0x7f) || 0x01;
  return s.toString('hex');
}

/** Now, truncated to whole seconds (X.509 times carry no fractions). */
function nowSeconds(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

function addYears(d: Date, years: number): Date {
  const out = new Date(d);
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}

function caError(message: string, details: Record<string, string> = {}): StationError {
  return new StationError('CA_ERROR', message, details);
}

/** Loaded key material of one CA role. */
interface Loaded {
  cert: Cert;
  der: Uint8Array;
  pkcs8: Uint8Array;
}

async function importSigningKey(pkcs8: Uint8Array, alg: { name: 'ECDSA'; namedCurve: string }): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']) as Promise<CryptoKey>;
}

/** The embedded CA. Create or open it with {@link LocalCa.open}. */
export class LocalCa implements CertificateAuthority {
  private readonly crlUrl: string;

  private constructor(
    private readonly dir: string,
    private readonly organization: string,
    private readonly root: Loaded,
    private readonly issuing: Loaded,
    private readonly signer: Loaded,
    private readonly issuingKey: CryptoKey,
    private index: IndexFile,
    crlUrl: string | undefined,
  ) {
    this.crlUrl = crlUrl ?? DEFAULT_CRL_URL;
  }

  /**
   * Opens the CA in `opts.dir`, creating root, issuing CA, content signer, index and a first CRL on first use.
   *
   * @param opts.box          seals/opens the CA private keys
   * @param opts.crlUrl       http URL put in every certificate's CRL distribution point (default {@link DEFAULT_CRL_URL})
   * @param opts.organization O= of the CA and holder names (used at creation; kept afterwards)
   * @throws StationError SECRETS_LOCKED when `box` cannot open the stored keys; STORE when the files are unreadable
   */
  static async open(opts: { dir: string; box: SecretBox; crlUrl?: string; organization?: string }): Promise<LocalCa> {
    const caPath = join(opts.dir, CA_FILE);
    if (!existsSync(caPath)) await LocalCa.create(opts);
    let file: CaFile;
    let index: IndexFile;
    try {
      file = JSON.parse(readFileSync(caPath, 'utf8')) as CaFile;
      index = JSON.parse(readFileSync(join(opts.dir, INDEX_FILE), 'utf8')) as IndexFile;
    } catch {
      throw new StationError('STORE', "The local CA's files cannot be read.", { dir: opts.dir });
    }
    if (file.format !== FORMAT || index.format !== FORMAT) {
      throw new StationError('STORE', "The local CA's files have an unknown format.", { dir: opts.dir });
    }
    const load = (role: Role): Loaded => {
      const der = unb64(file[role].cert);
      return { der, cert: new x509.X509Certificate(der), pkcs8: opts.box.open(unb64(file[role].key), SEAL_LABEL[role]) };
    };
    const root = load('root');
    const issuing = load('issuing');
    const signer = load('contentSigner');
    const issuingKey = await importSigningKey(issuing.pkcs8, ROOT_ALG);
    const ca = new LocalCa(opts.dir, file.organization, root, issuing, signer, issuingKey, index, opts.crlUrl);
    if (!existsSync(join(opts.dir, CRL_DIR, CRL_FILE))) await ca.crl();
    return ca;
  }

  /**
   * Seals the CA private keys in `dir` again with the box's current key (a passphrase change,
   * core/reseal.ts); keys the current key sealed already are left as they are. Written atomically.
   * @returns how many keys were sealed again (0 when the CA is not created yet)
   * @throws StationError SECRETS_LOCKED when the box opens a key with none of its keys; STORE when ca.json is unreadable
   */
  static resealKeys(dir: string, box: SecretBox): number {
    const caPath = join(dir, CA_FILE);
    if (!existsSync(caPath)) return 0;
    let file: CaFile;
    try {
      file = JSON.parse(readFileSync(caPath, 'utf8')) as CaFile;
    } catch {
      throw new StationError('STORE', "The local CA's files cannot be read.", { dir });
    }
    let resealed = 0;
    for (const role of Object.keys(SEAL_LABEL) as Role[]) {
      const sealed = unb64(file[role].key);
      if (box.isCurrent(sealed, SEAL_LABEL[role])) continue;
      file[role] = { ...file[role], key: b64(box.reseal(sealed, SEAL_LABEL[role])) };
      resealed++;
    }
    if (resealed > 0) writeFileAtomic(caPath, JSON.stringify(file, null, 2));
    return resealed;
  }

  private static async create(opts: { dir: string; box: SecretBox; crlUrl?: string; organization?: string }): Promise<void> {
    const org = opts.organization ?? DEFAULT_ORGANIZATION;
    const subtle = webcrypto.subtle;
    const now = nowSeconds();
    const gen = async (alg: { name: 'ECDSA'; namedCurve: string }): Promise<CryptoKeyPair> =>
      (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
    const pkcs8 = async (k: CryptoKey): Promise<Uint8Array> => new Uint8Array(await subtle.exportKey('pkcs8', k));

    const rootKeys = await gen(ROOT_ALG);
    const rootName = buildName([['C', SUBJECT_COUNTRY], ['O', org], ['CN', `${org} Root CA`]]);
    const root = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: rootName,
      issuer: rootName,
      notBefore: now,
      notAfter: addYears(now, ROOT_YEARS),
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: CA_SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      ],
    });

    const issuingKeys = await gen(ROOT_ALG);
    const issuingNotAfter = addYears(now, ISSUING_YEARS);
    const issuing = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: buildName([['C', SUBJECT_COUNTRY], ['O', org], ['CN', `${org} Issuing CA`]]),
      issuer: root.subjectName,
      notBefore: now,
      notAfter: issuingNotAfter,
      publicKey: issuingKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: CA_SIGNING,
      extensions: [
        // pathLen 0: the issuing CA signs end-entity certificates only.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey),
      ],
    });

    const signerKeys = await gen(CONTENT_SIGNER_ALG);
    const signerSpki = new Uint8Array(await subtle.exportKey('spki', signerKeys.publicKey));
    const signer = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: buildName([['C', SUBJECT_COUNTRY], ['O', org], ['CN', `${org} PIV Content Signer`]]),
      issuer: issuing.subjectName,
      notBefore: now,
      notAfter: issuingNotAfter,
      publicKey: signerKeys.publicKey,
      signingKey: issuingKeys.privateKey,
      signingAlgorithm: CA_SIGNING,
      extensions: await contentSignerExtensions({
        organization: org,
        crlUrl: opts.crlUrl ?? DEFAULT_CRL_URL,
        subjectSpki: signerSpki,
        issuer: issuing,
      }),
    });

    const stored = async (cert: Cert, key: CryptoKey, role: Role): Promise<StoredKeyPair> => ({
      cert: b64(cert.rawData),
      key: b64(opts.box.seal(await pkcs8(key), SEAL_LABEL[role])),
    });
    const file: CaFile = {
      format: FORMAT,
      organization: org,
      root: await stored(root, rootKeys.privateKey, 'root'),
      issuing: await stored(issuing, issuingKeys.privateKey, 'issuing'),
      contentSigner: await stored(signer, signerKeys.privateKey, 'contentSigner'),
    };
    mkdirSync(join(opts.dir, CRL_DIR), { recursive: true, mode: 0o700 });
    // Index first, CA file last: the CA file's presence means "created".
    writeFileAtomic(join(opts.dir, INDEX_FILE), JSON.stringify({ format: FORMAT, crlNumber: 0, certs: [] } satisfies IndexFile, null, 2));
    writeFileAtomic(join(opts.dir, CA_FILE), JSON.stringify(file, null, 2));
  }

  private saveIndex(): void {
    writeFileAtomic(join(this.dir, INDEX_FILE), JSON.stringify(this.index, null, 2));
  }

  private validate(req: IssueRequest): void {
    if (!PIV_SLOTS.includes(req.slot)) throw caError('The certificate request names an unknown key slot.', { slot: String(req.slot) });
    if (req.fascn.length !== FASCN_BYTES) throw caError('The FASC-N must be 25 bytes.', { slot: req.slot });
    if (!UUID_RE.test(req.cardUuid)) throw caError('The card UUID is not a canonical UUID.', { slot: req.slot });
    if (!req.holder.givenName.trim() && !req.holder.surname.trim()) throw caError('The cardholder has no name.', { slot: req.slot });
    if (!(req.notAfter instanceof Date) || Number.isNaN(req.notAfter.getTime())) throw caError('The expiry date is invalid.', { slot: req.slot });
  }

  /**
   * Issues the certificate of one slot with that slot's PIV profile (see profiles.ts).
   * notAfter = min(req.notAfter, issuing CA notAfter).
   *
   * @throws StationError CA_ERROR when the request is invalid, the CSR does not verify, or the CSR's key
   *         differs from `req.publicKey`
   */
  async issue(req: IssueRequest): Promise<IssuedCertificate> {
    const { cert, serial, subject, notBefore, notAfter } = await this.build(req);
    this.index.certs.push({
      serial,
      slot: req.slot,
      subject,
      cardUuid: req.cardUuid.toLowerCase(),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      status: 'valid',
    });
    this.saveIndex();
    return { der: new Uint8Array(cert.rawData), serial, notBefore, notAfter, slot: req.slot };
  }

  /**
   * The size in bytes (DER) of the certificate {@link issue} would make for
   * `req`, without issuing or recording anything: the station checks it fits
   * the slot's certificate container before any key is generated. Serial
   * numbers and ECDSA signatures vary by a few bytes between certificates.
   * @throws StationError CA_ERROR as {@link issue}
   */
  async certificateSize(req: Omit<IssueRequest, 'csrDer'>): Promise<number> {
    return (await this.build(req)).cert.rawData.byteLength;
  }

  /** Builds and signs one slot's certificate (see {@link issue}). */
  private async build(req: IssueRequest): Promise<{ cert: Cert; serial: string; subject: string; notBefore: Date; notAfter: Date }> {
    this.validate(req);
    const key = cardKeyObject(req.publicKey);
    const spki = new Uint8Array(canonicalSpki(key));
    if (req.csrDer) {
      const csr = await verifyCsr(req.csrDer);
      if (!Buffer.from(csr.publicKeySpki).equals(Buffer.from(spki))) {
        throw caError("The certificate request was not made with the card's key for this slot.", { slot: req.slot });
      }
    }
    const notBefore = nowSeconds();
    const issuingEnd = this.issuing.cert.notAfter;
    const notAfter = new Date(Math.floor(Math.min(req.notAfter.getTime(), issuingEnd.getTime()) / 1000) * 1000);
    if (notAfter <= notBefore) throw caError('The requested expiry date is already past.', { slot: req.slot });
    const profile = await slotProfile(req, {
      organization: this.organization,
      crlUrl: this.crlUrl,
      subjectSpki: spki,
      issuer: this.issuing.cert,
    });
    const serial = randomSerial();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject: profile.subject,
      issuer: this.issuing.cert.subjectName,
      notBefore,
      notAfter,
      publicKey: new x509.PublicKey(spki),
      signingKey: this.issuingKey,
      signingAlgorithm: CA_SIGNING,
      extensions: profile.extensions,
    });
    return { cert, serial, subject: formatDn(profile.subject.toArrayBuffer()), notBefore, notAfter };
  }

  private entry(serial: string): IndexEntry | undefined {
    const s = serial.toLowerCase().replace(/[^0-9a-f]/g, '');
    return this.index.certs.find((c) => c.serial === s);
  }

  /**
   * Revokes a certificate (or puts it on hold with 'certificateHold') and re-issues the CRL.
   * Revoking an already revoked certificate changes nothing; a held certificate can be revoked for good.
   * @throws StationError NOT_FOUND_RECORD when this CA did not issue `serial`
   */
  async revoke(serial: string, reason: RevocationReason): Promise<void> {
    const e = this.entry(serial);
    if (!e) throw new StationError('NOT_FOUND_RECORD', 'This station issued no certificate with that serial number.', { serial });
    if (e.status === 'revoked' || (e.status === 'hold' && reason === 'certificateHold')) return;
    e.status = reason === 'certificateHold' ? 'hold' : 'revoked';
    e.reason = reason;
    e.revokedAt = nowSeconds().toISOString();
    this.saveIndex();
    await this.crl();
  }

  /**
   * Takes a certificate off hold (RFC 5280 §5.3.1 removeFromCRL: it simply leaves the next CRL).
   * @throws StationError CA_ERROR when the certificate is not on hold
   */
  async releaseHold(serial: string): Promise<void> {
    const e = this.entry(serial);
    if (!e || e.status !== 'hold') throw caError('That certificate is not on hold.', { serial });
    e.status = 'valid';
    delete e.reason;
    delete e.revokedAt;
    this.saveIndex();
    await this.crl();
  }

  /** Status of a certificate issued here; 'unknown' for any other serial. */
  async status(serial: string): Promise<CertificateStatus> {
    return this.entry(serial)?.status ?? 'unknown';
  }

  /** The issued-certificate index (copy). */
  issued(): IndexEntry[] {
    return this.index.certs.map((c) => ({ ...c }));
  }

  /**
   * Issues a fresh CRL (v2, CRL number, AKI; entries with reason codes) signed by the issuing CA,
   * writes it to `crl/issuing.crl` and returns it (DER).
   */
  async crl(): Promise<Uint8Array> {
    const thisUpdate = nowSeconds();
    this.index.crlNumber += 1;
    this.saveIndex();
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.issuing.cert.subjectName,
      thisUpdate,
      nextUpdate: new Date(thisUpdate.getTime() + CRL_VALIDITY_DAYS * MS_PER_DAY),
      signingKey: this.issuingKey,
      signingAlgorithm: CA_SIGNING,
      entries: this.index.certs
        .filter((c) => c.status !== 'valid')
        .map((c) => ({
          serialNumber: c.serial,
          revocationDate: new Date(c.revokedAt ?? thisUpdate),
          reason: REASON_CODE[c.reason ?? 'unspecified'],
        })),
      extensions: [
        await x509.AuthorityKeyIdentifierExtension.create(this.issuing.cert.publicKey),
        new x509.Extension(Oid.EXT_CRL_NUMBER, false, AsnConvert.serialize(new CRLNumber(this.index.crlNumber))),
      ],
    });
    const der = new Uint8Array(crl.rawData);
    mkdirSync(join(this.dir, CRL_DIR), { recursive: true, mode: 0o700 });
    // Public data, read by the distribution point and by whoever copies it out.
    writeFileAtomic(join(this.dir, CRL_DIR, CRL_FILE), der, { mode: 0o644 });
    return der;
  }

  /** DER certificates of the root and the issuing CA. */
  async trustAnchors(): Promise<{ root: Uint8Array; issuing: Uint8Array }> {
    return { root: Uint8Array.from(this.root.der), issuing: Uint8Array.from(this.issuing.der) };
  }

  /** The CHUID / Security Object signer (certificate and private key). */
  contentSigner(): ContentSigner {
    const privateKey: KeyObject = createPrivateKey({ key: Buffer.from(this.signer.pkcs8), format: 'der', type: 'pkcs8' });
    return { certDer: Uint8Array.from(this.signer.der), privateKey };
  }

  /** DER certificate of the content signer. */
  contentSignerCertificate(): Uint8Array {
    return Uint8Array.from(this.signer.der);
  }

  /** Signs CHUID to-be-signed bytes; returns the CMS for CHUID tag 3E (see content-signer.ts). */
  async signChuid(toBeSigned: Uint8Array): Promise<Uint8Array> {
    return signChuidContent(this.contentSigner(), toBeSigned);
  }

  /** Signs the DER LDS Security Object; returns the CMS for Security Object tag BB (see content-signer.ts). */
  async signSecurityObject(lds: Uint8Array): Promise<Uint8Array> {
    return signLdsSecurityObject(this.contentSigner(), lds);
  }

  /** Signs a biometric object's CBEFF header ‖ data block; returns its CBEFF signature block (see content-signer.ts). */
  async signBiometric(signed: Uint8Array, fascn: Uint8Array, cardUuid: Uint8Array): Promise<Uint8Array> {
    return signBiometricContent(this.contentSigner(), signed, fascn, cardUuid);
  }
}
