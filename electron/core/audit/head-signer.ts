/**
 * Signed chain heads (issue 5 "Audit", issue 10 finding 5): the station signs
 * "the audit log had `seq` events ending in `hash`" with its audit key: at the
 * first event, every DEFAULT_SIGN_EVERY events after the last signed head,
 * when the station closes, on `station audit verify --sign`, and at a key
 * rotation. A rewrite of the log (even one that recomputes every hash) then
 * disagrees with a signature only the station's key could make; copies of the
 * heads published outside the data dir (anchor.ts) catch a rewrite that also
 * replaces the key and the heads.
 *
 * The signer only ever extends what is signed: it signs a head only when the
 * stored chain from the last signed head to it is intact (or, with no head at
 * all, when the whole log is at most MAX_UNSIGNED_EVENTS long and intact), so
 * it never vouches for a log someone rewrote and stripped of its heads.
 *
 * Keys. When the station finds no audit key of its own while the log holds
 * events, it does NOT make one: the key and heads were removed (or the log
 * came from elsewhere), and `audit verify` says so. A new key comes only from
 * an audited rotation (`audit.key.rotated`, naming the new key's fingerprint),
 * whose event the previous key signs; verify.ts refuses heads of a key no
 * such rotation introduced.
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
import { StationError } from '../errors.js';
import type { SecretBox } from '../pki/secret-box.js';
import type { AuditHead, AuditKeyRecord, SignedHeadRecord } from '../store/audit.js';
import type { StationStore } from '../store/store.js';
import { canonicalJson } from './canonical-json.js';
import { continueChain, GENESIS_HASH } from './chain.js';

/** The head is signed every this many events after the last signed head (and at the first event, and on close). */
export const DEFAULT_SIGN_EVERY = 20;
/**
 * Events allowed after the last signed head before `audit verify` fails
 * (verify.ts): a healthy station signs before the tail grows past
 * DEFAULT_SIGN_EVERY, so a longer unsigned tail means signing stopped or the
 * heads were removed.
 */
export const MAX_UNSIGNED_EVENTS = DEFAULT_SIGN_EVERY;
/** The audit event of a key rotation (details: previousKeyId, newKeyId, newKeyFingerprint). */
export const KEY_ROTATED_ACTION = 'audit.key.rotated';

/** SHA-256 of a DER SubjectPublicKeyInfo, lowercase hex: how anchors and rotations name an audit key. */
export function keyFingerprint(spki: Uint8Array): string {
  return createHash('sha256').update(spki).digest('hex');
}

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

/** What an audited key rotation did. */
export interface KeyRotation {
  /** The key that signed until now; null when the station had none (it was missing). */
  previousKeyId: number | null;
  keyId: number;
  /** keyFingerprint of the new key. */
  fingerprint: string;
  /** seq of the `audit.key.rotated` event. */
  seq: number;
}

/** The station's audit signer, over one store and keyring. */
export interface AuditHeadSigner {
  /** Id of the key new heads are signed with; null when the station has no audit key of its own while the log holds events. */
  readonly keyId: number | null;
  /** The current key's public key, PEM (SPKI), for verification outside the station; null without a key. */
  readonly publicKeyPem: string | null;
  /**
   * Signs the current chain head unless it is already signed (or the log is
   * empty, or the station has no key, or the chain since the last signed head
   * is broken: the signer never vouches for that). Runs in the caller's
   * transaction when there is one.
   * @returns the new signed head, or null when there was nothing to sign
   */
  signHead(): SignedHeadRecord | null;
  /**
   * Makes a new audit key, audited (`audit.key.rotated` by `actor`, naming the
   * new key's fingerprint); the previous key signs the head covering that
   * event, then the new key signs from there on. With no previous key (it was
   * missing) the rotation is recorded as such, and verify keeps reporting it.
   */
  rotateKey(actor: string): KeyRotation;
  /**
   * Whether the stored key `keyId` is the station's own: it unseals with this
   * keyring and its public half matches the stored public key.
   */
  trust(keyId: number): KeyTrust;
}

/** Options of {@link attachAuditSigner}. */
export interface AuditSignerOptions {
  /** Sign the head every this many events after the last signed head (default DEFAULT_SIGN_EVERY). */
  everyEvents?: number;
  /** Clock for the signing time (ISO-8601). */
  now?: () => string;
  /**
   * Told of every head signed, inside the signing transaction, with the key
   * that signed it (anchor.ts publishes it outside the data dir). A listener
   * that throws undoes the signature, never the event.
   */
  onSigned?: (head: SignedHeadRecord, key: AuditKeyRecord) => void;
}

function pem(spki: Uint8Array): string {
  const b64 = Buffer.from(spki).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`;
}

/** PEM of a DER SubjectPublicKeyInfo. */
export const publicKeyPem = pem;

/**
 * Loads the station's audit key (creating and sealing one for a new, empty
 * log only), installs the store's head signer and returns the signer for
 * close-time signing, rotation and verification.
 *
 * @throws StationError INVALID_INPUT when `everyEvents` is not a positive integer
 */
export function attachAuditSigner(store: StationStore, box: SecretBox, opts: AuditSignerOptions = {}): AuditHeadSigner {
  const now = opts.now ?? (() => new Date().toISOString());
  const everyEvents = opts.everyEvents ?? DEFAULT_SIGN_EVERY;
  if (!Number.isInteger(everyEvents) || everyEvents < 1) throw new StationError('INVALID_INPUT', 'The audit head must be signed every 1 or more events.', { everyEvents });
  const trustCache = new Map<number, KeyTrust>();

  function unseal(k: AuditKeyRecord): KeyObject {
    const pkcs8 = box.open(k.sealedPrivateKey, sealLabel(k.publicKeySpki));
    return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  }

  function trust(keyId: number): KeyTrust {
    const cached = trustCache.get(keyId);
    if (cached) return cached;
    const k = store.audit.keys.get(keyId);
    let t: KeyTrust;
    if (!k) t = { trusted: false, reason: 'the signing key is not in the station' };
    else {
      try {
        const derived = createPublicKey(unseal(k)).export({ format: 'der', type: 'spki' });
        t = Buffer.from(derived).equals(Buffer.from(k.publicKeySpki))
          ? { trusted: true, publicKey: createPublicKey({ key: Buffer.from(k.publicKeySpki), format: 'der', type: 'spki' }) }
          : { trusted: false, reason: "the signing key's public half was replaced" };
      } catch {
        t = { trusted: false, reason: 'the signing key is not sealed by this station' };
      }
    }
    trustCache.set(keyId, t);
    return t;
  }

  function newKey(): { record: AuditKeyRecord; privateKey: KeyObject } {
    const pair = generateKeyPairSync('ec', { namedCurve: CURVE });
    const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
    const pkcs8 = new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' }));
    const record = store.audit.keys.add({ algorithm: AUDIT_KEY_ALGORITHM, publicKeySpki: spki, sealedPrivateKey: box.seal(pkcs8, sealLabel(spki)) });
    pkcs8.fill(0);
    return { record, privateKey: pair.privateKey };
  }

  // The newest key this keyring can open signs. Only a new, empty log gets a new key here:
  // a log with events but no key of ours lost its key (verify.ts reports it), and a quiet
  // new key would hide that.
  let current: { record: AuditKeyRecord; privateKey: KeyObject } | undefined;
  for (const k of store.audit.keys.list().reverse()) {
    if (trust(k.id).trusted) {
      current = { record: k, privateKey: unseal(k) };
      break;
    }
  }
  // The upgrade that chained a log written before the chain existed (migration 4) is the other
  // legitimate first key: the station vouches for what it just chained, as it always did.
  const upgrade = !current && store.audit.chainedOnOpen > 0 && store.audit.keys.list().length === 0;
  if (!current && (store.audit.count() === 0 || upgrade)) current = store.db.transaction(newKey).immediate();

  /**
   * Whether the stored chain up to `head` continues from the last signed head
   * (a head of ours, validly signed), or, with no head at all, from the
   * beginning of a log at most MAX_UNSIGNED_EVENTS long.
   */
  function extendsSignedChain(head: AuditHead): boolean {
    const latest = store.audit.heads.latest();
    if (!latest) {
      if (head.seq > MAX_UNSIGNED_EVENTS) return false;
      return continueChain(GENESIS_HASH, 1, store.audit.storedRowsFrom(1)) === head.hash;
    }
    const t = trust(latest.keyId);
    if (!t.trusted || !verifyHeadSignature(latest, t.publicKey) || latest.seq > head.seq) return false;
    const [anchor, ...rest] = store.audit.storedRowsFrom(latest.seq);
    if (!anchor || anchor.seq !== latest.seq || anchor.hash !== latest.hash) return false;
    return continueChain(latest.hash, latest.seq + 1, rest) === head.hash;
  }

  function signAt(head: AuditHead, key: { record: AuditKeyRecord; privateKey: KeyObject }): SignedHeadRecord {
    const at = now();
    const signature = new Uint8Array(sign(DIGEST, headSignedBytes({ ...head, at }), key.privateKey));
    const signed = store.audit.heads.add({ seq: head.seq, hash: head.hash, at, keyId: key.record.id, signature });
    opts.onSigned?.(signed, key.record);
    return signed;
  }

  /** Signs `head` when it is not signed yet and extends the signed chain; in the caller's transaction. */
  function signIfExtends(head: AuditHead, key: { record: AuditKeyRecord; privateKey: KeyObject }): SignedHeadRecord | null {
    const latest = store.audit.heads.latest();
    if (latest && latest.seq === head.seq && latest.hash === head.hash) return null;
    if (!extendsSignedChain(head)) return null;
    return signAt(head, key);
  }

  if (upgrade && current) {
    const key = current;
    store.db.transaction(() => {
      const head = store.audit.head();
      if (head?.hash) signAt(head, key);
    }).immediate();
  }

  store.audit.setHeadSigner((head) => {
    if (!current) return;
    const latest = store.audit.heads.latest();
    if (latest && head.seq - latest.seq < everyEvents) return;
    signIfExtends(head, current);
  });

  /** Runs `fn` holding the write lock (BEGIN IMMEDIATE), or in the caller's transaction. */
  const write = <T>(fn: () => T): T => (store.db.inTransaction ? fn() : store.db.transaction(fn).immediate());

  return {
    get keyId() {
      return current?.record.id ?? null;
    },
    get publicKeyPem() {
      return current ? pem(current.record.publicKeySpki) : null;
    },
    signHead() {
      return write(() => {
        const head = store.audit.head();
        if (!current || !head || !head.hash) return null;
        return signIfExtends(head, current);
      });
    },
    rotateKey(actor) {
      return write(() => {
        const previous = current;
        const next = newKey();
        const fingerprint = keyFingerprint(next.record.publicKeySpki);
        const event = store.audit.append({
          actor,
          action: KEY_ROTATED_ACTION,
          outcome: 'ok',
          details: { previousKeyId: previous?.record.id ?? null, newKeyId: next.record.id, newKeyFingerprint: fingerprint },
        });
        // The previous key vouches for the rotation; the new key signs from here on. Without a
        // previous key nothing can vouch: the new key starts a signed chain at the rotation, and
        // verify.ts keeps reporting the rotation as not vouched for.
        if (event.hash) {
          if (previous) signIfExtends({ seq: event.seq, hash: event.hash }, previous);
          else signAt({ seq: event.seq, hash: event.hash }, next);
        }
        current = next;
        trustCache.delete(next.record.id);
        return { previousKeyId: previous?.record.id ?? null, keyId: next.record.id, fingerprint, seq: event.seq };
      });
    },
    trust,
  };
}
