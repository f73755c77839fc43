/**
 * Signed chain heads (issue 5 "Audit"): the station signs "the audit log had
 * `seq` events ending in `hash`" with its audit key, every N events, when the
 * station closes, and on `station audit verify --sign`. A rewrite of the log
 * (even one that recomputes every hash) then disagrees with a signature only
 * the station's key could make.
 *
 * Key: ECDSA P-256 with SHA-256 (FIPS 186-5; signature DER, RFC 3279 §2.2.3).
 * The private key (PKCS#8) is sealed with the keyring's SecretBox under a
 * label naming the SHA-256 of the public key, so the stored public key cannot
 * be swapped for an attacker's: unsealing would fail. The station trusts a
 * stored key only when it unseals and its public half matches.
 *
 * Signed bytes: UTF-8 of RFC 8785 canonical JSON
 *   {"at":AT,"hash":HASH,"seq":SEQ,"type":"piv-station/audit-head/v1"}
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { SecretBox } from '../pki/secret-box.js';
import type { AuditHead, AuditKeyRecord, SignedHeadRecord } from '../store/audit.js';
import type { StationStore } from '../store/store.js';
import { canonicalJson } from './canonical-json.js';
import { DEFAULT_SIGN_EVERY } from '../store/audit.js';

/** The signature algorithm of every audit key. */
export const AUDIT_KEY_ALGORITHM = 'ECDSA-P256-SHA256' as const;
/** Curve of the audit key (NIST P-256, FIPS 186-5). */
const CURVE = 'P-256';
const DIGEST = 'sha256';
/** Domain separation: these bytes can never be mistaken for another signed station object. */
export const HEAD_TYPE = 'piv-station/audit-head/v1';

/** SecretBox label of an audit private key: bound to its public key. */
function sealLabel(spki: Uint8Array): string {
  return `audit/head-key/${createHash('sha256').update(spki).digest('hex')}`;
}

/** The exact bytes signed for a head. */
export function headSignedBytes(h: { seq: number; hash: string; at: string }): Buffer {
  return Buffer.from(canonicalJson({ type: HEAD_TYPE, seq: h.seq, hash: h.hash, at: h.at }), 'utf8');
}

/**
 * Whether the signature of `head` verifies with `publicKey` (DER SPKI or KeyObject).
 * Never throws: malformed keys or signatures are simply not valid.
 */
export function verifyHeadSignature(head: Pick<SignedHeadRecord, 'seq' | 'hash' | 'at' | 'signature'>, publicKey: KeyObject | Uint8Array): boolean {
  try {
    const key = publicKey instanceof Uint8Array ? createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' }) : publicKey;
    return verify(DIGEST, headSignedBytes(head), key, Buffer.from(head.signature));
  } catch {
    return false;
  }
}

/** How far a stored audit key is trusted. */
export type KeyTrust = { trusted: true; publicKey: KeyObject } | { trusted: false; reason: string };

/** The station's audit signer, over one store and keyring. */
export interface AuditHeadSigner {
  /** Id of the key new heads are signed with. */
  readonly keyId: number;
  /** The current key's public key, PEM (SPKI), for verification outside the station. */
  readonly publicKeyPem: string;
  /**
   * Signs the current chain head unless it is already signed (or the log is empty).
   * Runs in the caller's transaction when there is one.
   * @returns the new signed head, or null when there was nothing new to sign
   */
  signHead(): SignedHeadRecord | null;
  /**
   * Whether the stored key `keyId` is the station's own: it unseals with this
   * keyring and its public half matches the stored public key.
   */
  trust(keyId: number): KeyTrust;
}

/** Options of {@link attachAuditSigner}. */
export interface AuditSignerOptions {
  /** Sign the head every this many events (default 100). */
  everyEvents?: number;
  /** Clock for the signing time (ISO-8601). */
  now?: () => string;
}

function pem(spki: Uint8Array): string {
  const b64 = Buffer.from(spki).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`;
}

/** PEM of a DER SubjectPublicKeyInfo. */
export const publicKeyPem = pem;

/**
 * Loads the station's audit key (creating and sealing one on first use),
 * installs it as the store's head signer (every `everyEvents` events) and
 * returns the signer for close-time signing and verification.
 *
 * @throws StationError SECRETS_LOCKED when the stored key does not open with this keyring's box
 */
export function attachAuditSigner(store: StationStore, box: SecretBox, opts: AuditSignerOptions = {}): AuditHeadSigner {
  const now = opts.now ?? (() => new Date().toISOString());
  const trustCache = new Map<number, KeyTrust>();

  function unseal(k: AuditKeyRecord): KeyObject {
    const pkcs8 = box.open(k.sealedPrivateKey, sealLabel(k.publicKeySpki));
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  }

  /** Whether the stored record `k` unseals with this keyring and its public half is the stored one. */
  function opens(k: AuditKeyRecord): KeyTrust {
    try {
      const derived = createPublicKey(unseal(k)).export({ format: 'der', type: 'spki' });
      return Buffer.from(derived).equals(Buffer.from(k.publicKeySpki))
        ? { trusted: true, publicKey: createPublicKey({ key: Buffer.from(k.publicKeySpki), format: 'der', type: 'spki' }) }
        : { trusted: false, reason: "the signing key's public half was replaced" };
    } catch {
      return { trusted: false, reason: 'the signing key is not sealed by this station' };
    }
  }

  function trust(keyId: number): KeyTrust {
    const cached = trustCache.get(keyId);
    if (cached) return cached;
    const k = store.audit.keys.get(keyId);
    let t: KeyTrust;
    if (!k) t = { trusted: false, reason: 'the signing key is not in the station' };
    else {
      t = opens(k);
      // After a passphrase change the same key pair is also stored sealed with the new key (resealAuditKeys):
      // the station holds the key when any record of that public key opens.
      if (!t.trusted) {
        const sibling = store.audit.keys.list().find((o) => o.id !== k.id && Buffer.from(o.publicKeySpki).equals(Buffer.from(k.publicKeySpki)) && opens(o).trusted);
        if (sibling) t = opens(sibling);
      }
    }
    trustCache.set(keyId, t);
    return t;
  }

  // The newest key this keyring can open signs; a fresh station makes one.
  let current: { record: AuditKeyRecord; privateKey: KeyObject } | undefined;
  for (const k of store.audit.keys.list().reverse()) {
    if (opens(k).trusted) {
      current = { record: k, privateKey: unseal(k) };
      break;
    }
  }
  if (!current) {
    const pair = generateKeyPairSync('ec', { namedCurve: CURVE });
    const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const record = store.audit.keys.add({ algorithm: AUDIT_KEY_ALGORITHM, publicKeySpki: spki, sealedPrivateKey: box.seal(pkcs8, sealLabel(spki)) });
    pkcs8.fill(0);
    current = { record, privateKey: pair.privateKey };
  }
  const { record, privateKey } = current;

  function signAt(head: AuditHead): SignedHeadRecord {
    const at = now();
    const signature = new Uint8Array(sign(DIGEST, headSignedBytes({ ...head, at }), privateKey));
    return store.audit.heads.add({ seq: head.seq, hash: head.hash, at, keyId: record.id, signature });
  }

  store.audit.setHeadSigner((head) => void signAt(head), opts.everyEvents ?? DEFAULT_SIGN_EVERY);

  return {
    keyId: record.id,
    publicKeyPem: pem(record.publicKeySpki),
    signHead() {
      // BEGIN IMMEDIATE: the head read and the signature stored under one write lock.
      const run = () => {
        const head = store.audit.head();
        if (!head || !head.hash) return null;
        const latest = store.audit.heads.latest();
        if (latest && latest.seq === head.seq && latest.hash === head.hash) return null;
        return signAt(head);
      };
      return store.db.inTransaction ? run() : store.db.transaction(run).immediate();
    },
    trust,
  };
}

/**
 * After a passphrase change (core/reseal.ts): stores every audit key pair again, sealed with the
 * box's current key, as a new record of the same public key. The records are append-only (the
 * audit_keys table refuses updates), so the earlier record stays, sealed with the retired key;
 * heads it signed stay trusted through the new record (same public key). Idempotent: a key pair
 * that already has a record sealed with the current key gets no other.
 * @returns how many key pairs were stored again
 * @throws StationError SECRETS_LOCKED when a key opens with none of the box's keys
 */
export function resealAuditKeys(store: StationStore, box: SecretBox): number {
  const keys = store.audit.keys.list();
  const current = (spki: Uint8Array) => keys.some((k) => Buffer.from(k.publicKeySpki).equals(Buffer.from(spki)) && box.isCurrent(k.sealedPrivateKey, sealLabel(k.publicKeySpki)));
  const done = new Set<string>();
  let resealed = 0;
  for (const k of keys) {
    const id = Buffer.from(k.publicKeySpki).toString('hex');
    if (done.has(id) || current(k.publicKeySpki)) continue;
    done.add(id);
    let pkcs8: Uint8Array;
    try {
      pkcs8 = box.open(k.sealedPrivateKey, sealLabel(k.publicKeySpki));
    } catch {
      // A record no key of this station opens (not ours): nothing to carry over.
      continue;
    }
    store.audit.keys.add({ algorithm: k.algorithm, publicKeySpki: k.publicKeySpki, sealedPrivateKey: box.seal(pkcs8, sealLabel(k.publicKeySpki)) });
    pkcs8.fill(0);
    resealed++;
  }
  return resealed;
}
