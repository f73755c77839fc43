/**
 * Judges of "a correctly produced PIV card" that this project did not write:
 * OpenSC (opensc-tool, pkcs15-tool, pkcs11-tool, piv-tool), yubico-piv-tool
 * and openssl, run against a card in a vpcd reader through the real pcscd.
 * Each check returns a verdict instead of throwing, so a test can assert both
 * that a good card passes and that a deliberately broken card fails
 * (issue 9 §6: a check that passes on a broken card proves nothing).
 *
 * What is ours here is only plumbing and comparison: reading bytes out of the
 * clients' output, TLV splitting, and comparing what two clients say. Every
 * cryptographic judgement is openssl's (cms -verify, dgst -verify, pkeyutl
 * -derive) or OpenSC's.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTlvs } from '../../electron/core/piv/tlv.js';
import { parseOpenscToolApdus, run, type RunResult } from './vpcd-card.js';

/** Debian's OpenSC PKCS#11 module. */
export const OPENSC_PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
/** The factory management key bytes every personality starts with (cut to 16 bytes for AES-128). */
export const DEFAULT_MANAGEMENT_KEY_HEX = '010203040506070801020304050607080102030405060708';

/** The four slots, their certificate objects and the PKCS#11 object ids OpenSC gives their keys. */
export const SLOTS = [
  { slot: '9A', object: '5FC105', p11Id: '01' },
  { slot: '9C', object: '5FC10A', p11Id: '02' },
  { slot: '9D', object: '5FC10B', p11Id: '03' },
  { slot: '9E', object: '5FC101', p11Id: '04' },
] as const;
export type Slot = (typeof SLOTS)[number]['slot'];

/** Objects the Security Object may map, by ContainerID (SP 800-73-4 Part 1 Table 2). */
const CONTAINER_OBJECT: Record<string, string> = { '3000': '5FC102', DB00: '5FC107', '3001': '5FC109', '6050': '7E', '6060': '5FC10C' };
/** Every object a judgement reads. */
const OBJECTS = ['5FC102', '5FC107', '5FC109', '7E', '5FC10C', '5FC106', ...SLOTS.map((s) => s.object)];

/** One check's verdict. `detail` says what was seen (never a secret). */
export interface Verdict {
  check: string;
  ok: boolean;
  detail: string;
}

/** What a judgement needs to know about the card and its issuer. */
export interface Judged {
  reader: string;
  /** The cardholder's PIN (a test PIN). */
  pin: string;
  /** PEM of the issuer's CA chain (`station ca chain`). */
  caChainPem: string;
  /** Certificate serials (upper-case hex) the station recorded as valid for the card. */
  expectedSerials: string[];
  /** Scratch directory for the files the clients read and write. */
  workDir: string;
}

/** What the clients read from the card: object contents (inside 53; Discovery whole), null when absent. */
export interface CardReading {
  objects: Record<string, Uint8Array | null>;
  /** DER certificate per slot that holds one. */
  certificates: Partial<Record<Slot, Uint8Array>>;
}

const verdict = (check: string, ok: boolean, detail: string): Verdict => ({ check, ok, detail });
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const colonHex = (h: string): string => h.match(/../g)!.join(':');
const tail = (r: RunResult): string => `exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`;

/** A fresh scratch directory under `workDir`. */
function scratch(j: Pick<Judged, 'workDir'>, name: string): string {
  return mkdtempSync(join(j.workDir, `${name}-`));
}

/** GET DATA APDU (hex, colon separated) for an object tag (hex). */
function getDataApdu(tag: string): string {
  const list = `5C${(tag.length / 2).toString(16).padStart(2, '0')}${tag}`;
  return colonHex(`00CB3FFF${(list.length / 2).toString(16).padStart(2, '0')}${list}00`);
}

/**
 * Reads the objects a judgement needs with opensc-tool, in one card session
 * (SELECT PIV, VERIFY PIN for the Printed Information, GET DATA each; OpenSC
 * follows 61xx itself), and splits the certificates out of their containers.
 * @throws Error when opensc-tool cannot talk to the card at all
 */
export async function readCard(j: Pick<Judged, 'reader' | 'pin'>): Promise<CardReading> {
  const pinField = Buffer.alloc(8, 0xff);
  pinField.write(j.pin, 'ascii');
  const args = ['-r', j.reader, '-s', '00:A4:04:00:09:A0:00:00:03:08:00:00:10:00:00', '-s', colonHex(`0020008008${hex(pinField)}`)];
  for (const tag of OBJECTS) args.push('-s', getDataApdu(tag));
  const r = await run('opensc-tool', args, { timeoutMs: 30_000 });
  const answers = parseOpenscToolApdus(r.stdout);
  if (answers.length !== 2 + OBJECTS.length) throw new Error(`opensc-tool could not read the card: ${tail(r)}`);
  const objects: Record<string, Uint8Array | null> = {};
  OBJECTS.forEach((tag, i) => {
    const a = answers[2 + i]!;
    if (a.sw !== 0x9000) return void (objects[tag] = null);
    objects[tag] = tag === '7E' ? a.data : (decodeTlvs(a.data).find((t) => t.tag === 0x53)?.value ?? null);
  });
  const certificates: CardReading['certificates'] = {};
  for (const s of SLOTS) {
    const container = objects[s.object];
    const cert = container ? decodeTlvs(container).find((t) => t.tag === 0x70) : undefined;
    if (cert) certificates[s.slot] = cert.value;
  }
  return { objects, certificates };
}

/** CHUID elements by tag. */
function chuidElements(chuid: Uint8Array): Map<number, Uint8Array> {
  return new Map(decodeTlvs(chuid).map((t) => [t.tag, t.value]));
}

/** The CHUID's to-be-signed bytes: every element but EE and 3E, re-encoded in order (73-1 §3.1.2). */
function chuidSignedBytes(chuid: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < chuid.length) {
    const start = i;
    const tag = chuid[i++]!;
    let len = chuid[i++]!;
    if (len === 0x81) len = chuid[i++]!;
    else if (len === 0x82) {
      len = (chuid[i]! << 8) | chuid[i + 1]!;
      i += 2;
    }
    i += len;
    if (tag !== 0xee && tag !== 0x3e) out.push(...chuid.subarray(start, i));
  }
  return Uint8Array.from(out);
}

/**
 * OpenSC `pkcs15-tool -D`: the card is read as a PIV card and lists exactly the
 * certificates the station recorded (by serial), no more (a leftover) and no fewer.
 */
export async function checkOpenscDump(j: Judged): Promise<Verdict> {
  const r = await run('pkcs15-tool', ['--reader', j.reader, '-D'], { timeoutMs: 60_000 });
  if (r.code !== 0) return verdict('pkcs15-tool -D', false, tail(r));
  const listed = [...r.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]!).sort();
  const expected = [...j.expectedSerials].sort();
  const same = listed.length === expected.length && listed.every((s, i) => s === expected[i]);
  return verdict('pkcs15-tool -D', same, `certificates listed: ${listed.join(', ') || 'none'}; recorded: ${expected.join(', ')}`);
}

/** pkcs11-tool --test reports this as an error, but a PIV token has no random generator: not a card defect. */
const NO_TOKEN_RNG = /C_GenerateRandom failed: CKR_FUNCTION_NOT_SUPPORTED/;

/**
 * OpenSC `pkcs11-tool --test --login`: OpenSC's PKCS#11 module logs in with
 * the cardholder's PIN and its self-test finds no error. Its signature,
 * verify and decrypt tests cover RSA keys only (EC keys are skipped), so the
 * key-to-certificate agreement of EC slots is judged by {@link checkSlotKeys}.
 */
export async function checkPkcs11Test(j: Judged): Promise<Verdict> {
  const name = 'pkcs11-tool --test --login';
  const r = await run('pkcs11-tool', ['--module', OPENSC_PKCS11, '--slot-description', j.reader, '--test', '--login', '--pin', j.pin], { timeoutMs: 120_000 });
  if (r.code !== 0) return verdict(name, false, tail(r));
  const errors = (r.stdout + r.stderr).split('\n').filter((l) => /\bERR\b|failed/i.test(l) && !NO_TOKEN_RNG.test(l));
  return verdict(name, errors.length === 0, errors.slice(0, 3).join(' | ') || 'logged in, no error');
}

/**
 * yubico-piv-tool `-a status`: it shows the CHUID the card holds, a readable
 * certificate in every slot that should have one and in no other slot (it
 * also reads the retired-key certificates 5FC10D–5FC120), and a PIN that is
 * not blocked (tries left; -1 where yubico-piv-tool cannot tell, e.g. on a
 * card without the YubiKey extensions, is reported but not judged).
 */
export async function checkYubicoStatus(j: Judged, reading: CardReading): Promise<Verdict> {
  const r = await run('yubico-piv-tool', ['-r', j.reader, '-a', 'status'], { timeoutMs: 60_000 });
  if (r.code !== 0) return verdict('yubico-piv-tool -a status', false, tail(r));
  const chuid = /CHUID:\s+([0-9a-f]+)/i.exec(r.stdout)?.[1]?.toUpperCase();
  const problems: string[] = [];
  if (!reading.objects['5FC102'] || chuid !== hex(reading.objects['5FC102'])) problems.push('CHUID differs from the one OpenSC read');
  for (const s of SLOTS) {
    if (!reading.certificates[s.slot]) continue;
    const block = new RegExp(`Slot ${s.slot.toLowerCase()}:\\s*\\n(?:\\t.*\\n)*?\\tSubject DN:`, 'i');
    if (!block.test(r.stdout)) problems.push(`slot ${s.slot}: no readable certificate`);
  }
  const expectedSlots = SLOTS.filter((s) => reading.certificates[s.slot]).map((s) => s.slot.toLowerCase());
  const extra = [...r.stdout.matchAll(/^Slot ([0-9a-f]{2}):/gim)].map((m) => m[1]!.toLowerCase()).filter((slot) => !expectedSlots.includes(slot));
  if (extra.length) problems.push(`certificates in slots the station did not write: ${extra.join(', ')}`);
  const tries = /PIN tries left:\s+(-?\d+)/.exec(r.stdout)?.[1];
  if (tries === undefined || tries === '0') problems.push(`PIN tries left: ${tries ?? 'not shown'}`);
  return verdict('yubico-piv-tool -a status', problems.length === 0, problems.join('; ') || `CHUID and certificates shown, PIN tries left ${tries}`);
}

/** openssl `cms -verify`: the CHUID's issuer signature (3E) over its to-be-signed bytes, chained to the CA. */
export async function checkChuidSignature(j: Judged, reading: CardReading): Promise<Verdict> {
  const chuid = reading.objects['5FC102'];
  if (!chuid) return verdict('CHUID signature (openssl cms)', false, 'no CHUID');
  const signature = chuidElements(chuid).get(0x3e);
  if (!signature || signature.length === 0) return verdict('CHUID signature (openssl cms)', false, 'the CHUID is unsigned');
  const dir = scratch(j, 'chuid');
  writeFileSync(join(dir, 'sig.der'), signature);
  writeFileSync(join(dir, 'tbs.bin'), chuidSignedBytes(chuid));
  writeFileSync(join(dir, 'chain.pem'), j.caChainPem);
  const r = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'tbs.bin'), '-CAfile', join(dir, 'chain.pem'), '-purpose', 'any', '-out', '/dev/null']);
  return verdict('CHUID signature (openssl cms)', r.code === 0 && r.stderr.includes('Verification successful'), tail(r));
}

/**
 * openssl on the Security Object (5FC106): its CMS verifies with the content
 * signer (the CHUID signature's certificate) chained to the CA, and each data
 * group hash in the LDS Security Object equals SHA-256 of the object its BA map names.
 */
export async function checkSecurityObject(j: Judged, reading: CardReading): Promise<Verdict> {
  const name = 'Security Object (openssl cms, hashes)';
  const so = reading.objects['5FC106'];
  const chuid = reading.objects['5FC102'];
  if (!so || !chuid) return verdict(name, false, 'no Security Object or no CHUID');
  const tlvs = decodeTlvs(so);
  const map = tlvs.find((t) => t.tag === 0xba)?.value;
  const cms = tlvs.find((t) => t.tag === 0xbb)?.value;
  const chuidSig = chuidElements(chuid).get(0x3e);
  if (!map || !cms || !chuidSig) return verdict(name, false, 'BA, BB or the CHUID signature missing');
  const dir = scratch(j, 'so');
  writeFileSync(join(dir, 'so.der'), cms);
  writeFileSync(join(dir, 'chuid-sig.der'), chuidSig);
  writeFileSync(join(dir, 'chain.pem'), j.caChainPem);
  const signer = await run('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'chuid-sig.der'), '-print_certs', '-out', join(dir, 'signer.pem')]);
  if (signer.code !== 0) return verdict(name, false, `signer certificate: ${tail(signer)}`);
  const verified = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'so.der'), '-certfile', join(dir, 'signer.pem'), '-CAfile', join(dir, 'chain.pem'), '-purpose', 'any', '-out', join(dir, 'lds.der')]);
  if (verified.code !== 0 || !verified.stderr.includes('Verification successful')) return verdict(name, false, `signature: ${tail(verified)}`);
  const lds = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', join(dir, 'lds.der')]);
  const problems: string[] = [];
  const entries = Buffer.from(map).toString('hex').toUpperCase().match(/.{6}/g) ?? [];
  for (const entry of entries) {
    const dg = entry.slice(0, 2);
    const tag = CONTAINER_OBJECT[entry.slice(2)];
    const content = tag ? reading.objects[tag] : undefined;
    if (!content) {
      problems.push(`container ${entry.slice(2)} unreadable`);
      continue;
    }
    const digest = createHash('sha256').update(content).digest('hex').toUpperCase();
    if (!new RegExp(`INTEGER\\s*:${dg}\\s*\\n[^\\n]*OCTET STRING\\s*\\[HEX DUMP\\]:${digest}`).test(lds.stdout)) problems.push(`data group ${dg} (${tag}) hash differs`);
  }
  return verdict(name, problems.length === 0 && entries.length > 0, problems.join('; ') || `${entries.length} data groups match`);
}

/** Slots whose certificates must carry the FASC-N (FIPS 201-3 §4.2.2: PIV Authentication and Card Authentication). */
const FASCN_REQUIRED: readonly Slot[] = ['9A', '9E'];

/**
 * The FASC-N in the certificates (SAN otherName pivFASC-N 2.16.840.1.101.3.6.6,
 * as openssl asn1parse shows it inside the extension) equals the CHUID's
 * FASC-N, which is not the all-zero factory placeholder. 9A and 9E must carry
 * it; 9C and 9D are compared where they carry one.
 */
export async function checkFascn(j: Judged, reading: CardReading): Promise<Verdict> {
  const name = 'FASC-N in CHUID and certificates (openssl asn1parse)';
  const chuid = reading.objects['5FC102'];
  const fascn = chuid ? chuidElements(chuid).get(0x30) : undefined;
  if (!fascn || fascn.length !== 25) return verdict(name, false, 'no 25-byte FASC-N in the CHUID');
  if (fascn.every((b) => b === 0)) return verdict(name, false, 'the CHUID FASC-N is the all-zero factory placeholder');
  const dir = scratch(j, 'fascn');
  const problems: string[] = [];
  for (const s of SLOTS) {
    const cert = reading.certificates[s.slot];
    if (!cert) continue;
    const file = join(dir, `${s.slot}.der`);
    writeFileSync(file, cert);
    const found = await certificateFascn(file);
    if (!found) {
      if (FASCN_REQUIRED.includes(s.slot)) problems.push(`${s.slot}: no pivFASC-N`);
    } else if (found !== hex(fascn)) problems.push(`${s.slot}: FASC-N ${found} differs from the CHUID's`);
  }
  return verdict(name, problems.length === 0, problems.join('; ') || 'every certificate carries the CHUID FASC-N');
}

/** The pivFASC-N (upper-case hex) in a DER certificate's subjectAltName, parsed by openssl asn1parse; undefined when absent. */
async function certificateFascn(certFile: string): Promise<string | undefined> {
  const outer = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', certFile]);
  // The SAN extension's value is an OCTET STRING: parse its contents (GeneralNames) by offset.
  const san = /OBJECT\s*:X509v3 Subject Alternative Name\s*\n(?:[^\n]*BOOLEAN[^\n]*\n)?\s*(\d+):[^\n]*OCTET STRING/.exec(outer.stdout);
  if (!san) return undefined;
  const names = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', certFile, '-strparse', san[1]!]);
  return /OBJECT\s*:2\.16\.840\.1\.101\.3\.6\.6\s*\n[^\n]*\n[^\n]*OCTET STRING\s*\[HEX DUMP\]:([0-9A-F]+)/.exec(names.stdout)?.[1];
}

/**
 * Each slot's key is the one its certificate names: pkcs11-tool makes the card
 * sign a fresh challenge (9A, 9C, 9E; 9D too when it is RSA) and openssl
 * verifies it with the certificate's public key; for an EC 9D (key agreement
 * only) the card derives an ECDH secret with a fresh openssl key and openssl
 * derives the same secret from the certificate's key.
 */
export async function checkSlotKeys(j: Judged, reading: CardReading): Promise<Verdict> {
  const name = 'slot keys match their certificates (pkcs11-tool + openssl)';
  const dir = scratch(j, 'slots');
  const problems: string[] = [];
  let checked = 0;
  writeFileSync(join(dir, 'challenge.bin'), `a fresh challenge ${Date.now()} ${Math.random()}\n`);
  for (const s of SLOTS) {
    const cert = reading.certificates[s.slot];
    if (!cert) continue;
    checked++;
    const certDer = join(dir, `${s.slot}.der`);
    writeFileSync(certDer, cert);
    const pub = await run('openssl', ['x509', '-inform', 'DER', '-in', certDer, '-pubkey', '-noout']);
    writeFileSync(join(dir, `${s.slot}.pub`), pub.stdout);
    const isEc = /BEGIN PUBLIC KEY/.test(pub.stdout) && (await run('openssl', ['pkey', '-pubin', '-in', join(dir, `${s.slot}.pub`), '-noout', '-text'])).stdout.includes('ASN1 OID');
    if (s.slot === '9D' && isEc) {
      const ok = await ecdhMatches(j, dir, s.p11Id, join(dir, `${s.slot}.pub`));
      if (!ok.ok) problems.push(`9D: ${ok.detail}`);
      continue;
    }
    const sig = join(dir, `${s.slot}.sig`);
    const signed = await run('pkcs11-tool', ['--module', OPENSC_PKCS11, '--slot-description', j.reader, '--login', '--pin', j.pin, '--sign', '--id', s.p11Id, '-m', isEc ? 'ECDSA-SHA256' : 'SHA256-RSA-PKCS', ...(isEc ? ['--signature-format', 'openssl'] : []), '-i', join(dir, 'challenge.bin'), '-o', sig], { timeoutMs: 60_000 });
    if (signed.code !== 0) {
      problems.push(`${s.slot}: the card did not sign (${tail(signed)})`);
      continue;
    }
    const v = await run('openssl', ['dgst', '-sha256', '-verify', join(dir, `${s.slot}.pub`), '-signature', sig, join(dir, 'challenge.bin')]);
    if (!v.stdout.includes('Verified OK')) problems.push(`${s.slot}: signature does not verify with the certificate's key`);
  }
  return verdict(name, problems.length === 0 && checked > 0, problems.join('; ') || `${checked} slots`);
}

/** ECDH with the card's key `p11Id` and a fresh P-256/P-384 key; openssl derives the same secret from `certPub`? */
async function ecdhMatches(j: Judged, dir: string, p11Id: string, certPub: string): Promise<{ ok: boolean; detail: string }> {
  const text = (await run('openssl', ['pkey', '-pubin', '-in', certPub, '-noout', '-text'])).stdout;
  const curve = /NIST CURVE:\s*(P-\d+)/.exec(text)?.[1] ?? 'P-256';
  const peer = join(dir, 'peer.pem');
  await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', peer]);
  await run('openssl', ['pkey', '-in', peer, '-pubout', '-outform', 'DER', '-out', join(dir, 'peer-pub.der')]);
  const onCard = join(dir, 'z-card.bin');
  const derived = await run('pkcs11-tool', ['--module', OPENSC_PKCS11, '--slot-description', j.reader, '--login', '--pin', j.pin, '--derive', '--id', p11Id, '-m', 'ECDH1-DERIVE', '-i', join(dir, 'peer-pub.der'), '-o', onCard], { timeoutMs: 60_000 });
  if (derived.code !== 0) return { ok: false, detail: `the card did not derive (${tail(derived)})` };
  const offCard = join(dir, 'z-openssl.bin');
  const r = await run('openssl', ['pkeyutl', '-derive', '-inkey', peer, '-peerkey', certPub, '-out', offCard]);
  if (r.code !== 0) return { ok: false, detail: `openssl derive: ${tail(r)}` };
  const same = Buffer.compare(readFileSync(onCard), readFileSync(offCard)) === 0;
  return { ok: same, detail: same ? 'same secret' : "ECDH secret differs from the certificate key's" };
}

/** One 9B authentication attempt by piv-tool (OpenSC) with `keyHex` as `alg` (03 3DES, 08/0A/0C AES); true when the card accepted it. */
export async function pivToolAuthenticates(reader: string, alg: '03' | '08' | '0A' | '0C', keyHex: string, dir: string): Promise<RunResult> {
  const keyFile = join(dir, `key-${alg}.txt`);
  writeFileSync(keyFile, colonHex(keyHex), { mode: 0o600 });
  const readerIndex = await readerNumber(reader);
  return run('piv-tool', ['-r', String(readerIndex), '-A', `M:9B:${alg}`], { timeoutMs: 30_000, env: { PIV_EXT_AUTH_KEY: keyFile } });
}

/** OpenSC's reader index of `reader` (piv-tool takes a number). */
async function readerNumber(reader: string): Promise<number> {
  const r = await run('opensc-tool', ['-l']);
  const line = r.stdout.split('\n').find((l) => l.includes(reader));
  const m = line ? /^\s*(\d+)/.exec(line) : null;
  if (!m) throw new Error(`opensc-tool does not list ${reader}`);
  return Number(m[1]);
}

/**
 * The card refuses the factory management key: piv-tool (OpenSC) really
 * authenticates with 0102…08 as 3DES and as AES-128/192 (each one attempt;
 * 9B has no retry counter on the cards tested here), and must fail every time.
 */
export async function checkManagementKeyNotDefault(j: Judged): Promise<Verdict> {
  const name = 'factory management key refused (piv-tool)';
  const dir = scratch(j, 'mgmt');
  const accepted: string[] = [];
  const attempts: [alg: '03' | '08' | '0A', key: string][] = [
    ['03', DEFAULT_MANAGEMENT_KEY_HEX],
    ['08', DEFAULT_MANAGEMENT_KEY_HEX.slice(0, 32)],
    ['0A', DEFAULT_MANAGEMENT_KEY_HEX],
  ];
  for (const [alg, key] of attempts) {
    const r = await pivToolAuthenticates(j.reader, alg, key, dir);
    if (r.code === 0) accepted.push(alg);
  }
  return verdict(name, accepted.length === 0, accepted.length ? `the card accepted the factory key as algorithm ${accepted.join(', ')}` : 'refused as 3DES, AES-128 and AES-192');
}

/** Every check, on a produced card. */
export async function judgeProducedCard(j: Judged): Promise<{ reading: CardReading; verdicts: Verdict[] }> {
  const reading = await readCard(j);
  const verdicts = [
    await checkOpenscDump(j),
    await checkPkcs11Test(j),
    await checkYubicoStatus(j, reading),
    await checkChuidSignature(j, reading),
    await checkSecurityObject(j, reading),
    await checkFascn(j, reading),
    await checkSlotKeys(j, reading),
    await checkManagementKeyNotDefault(j),
  ];
  return { reading, verdicts };
}

/** The verdicts that failed, as one readable line (for an assertion message). */
export function failures(verdicts: Verdict[]): string {
  return verdicts
    .filter((v) => !v.ok)
    .map((v) => `${v.check}: ${v.detail}`)
    .join('\n');
}
