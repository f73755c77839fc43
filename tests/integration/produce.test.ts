/**
 * Acceptance of issue 2 through the real pcscd: the `station` CLI produces a
 * card on a virtual card in vpcd's reader, and independent PIV clients judge
 * the result: OpenSC (pkcs15-tool, pkcs11-tool), yubico-piv-tool and openssl.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withVpcdCard, run } from '../support/vpcd-card.js';
import { station, stationJson } from '../support/station-cli.js';
import { decodeTlvs, fromHex } from '../../electron/core/piv/tlv.js';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../../electron/core/store/store.js';

const PKCS11 = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const PIN = '246810';

interface ProduceJson {
  jobId: string;
  status: string;
  failedStep?: string;
  error?: { code: string; message: string };
  card: { id: string; serial: number; guid: string; fascn: string };
  puk?: string;
}

let dir: string;
let dataDir: string;
let personId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-it-'));
  dataDir = join(dir, 'station');
  const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Ada', '--surname', 'Lovelace', '--email', 'ada@example.test', '--employee-id', '4711']);
  personId = person.id;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Valid certificate serials the station recorded for a card (read from its store). */
function recordedCertificates(cardId: string): { serial: string; slot: string; status: string }[] {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return openStore(db).certificates.listByCard(cardId).map((c) => ({ serial: c.serial, slot: c.slot, status: c.status }));
  } finally {
    db.close();
  }
}

describe('a card produced by the station through pcscd', () => {
  test('works with OpenSC, yubico-piv-tool and openssl', async () => {
    // A 3DES-default card, so Debian's yubico-piv-tool (3DES only) can try the factory key afterwards.
    await withVpcdCard({ cardOptions: { managementKeyAlgorithm: 'TDEA' } }, async ({ reader }) => {
      const produced = await stationJson<ProduceJson>(dataDir, ['produce', '--person', personId, '--reader', reader, '--pin', PIN]);
      expect(produced.status).toBe('done');
      expect(produced.puk).toMatch(/^\d{8}$/);
      const certs = recordedCertificates(produced.card.id).filter((c) => c.status === 'valid');
      expect(certs.map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);

      // OpenSC lists exactly the four certificates the station recorded.
      const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
      expect(listed.code).toBe(0);
      const serials = [...listed.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]);
      expect(serials.sort()).toEqual(certs.map((c) => c.serial).sort());

      // PKCS#11 signs with the PIV Authentication key; openssl verifies with the 9A certificate.
      writeFileSync(join(dir, 'data.txt'), 'hello from the issuance desk\n');
      const signed = await run('pkcs11-tool', ['--module', PKCS11, '--slot-description', reader, '--login', '--pin', PIN, '--sign', '--id', '01', '-m', 'ECDSA-SHA256', '--signature-format', 'openssl', '-i', join(dir, 'data.txt'), '-o', join(dir, 'sig.der')]);
      expect(signed.code, signed.stderr).toBe(0);
      const cert9a = await run('yubico-piv-tool', ['-r', reader, '-a', 'read-certificate', '-s', '9a']);
      expect(cert9a.code).toBe(0);
      writeFileSync(join(dir, '9a.pem'), cert9a.stdout);
      const pub = await run('openssl', ['x509', '-in', join(dir, '9a.pem'), '-pubkey', '-noout']);
      writeFileSync(join(dir, '9a.pub'), pub.stdout);
      const verified = await run('openssl', ['dgst', '-sha256', '-verify', join(dir, '9a.pub'), '-signature', join(dir, 'sig.der'), join(dir, 'data.txt')]);
      expect(verified.stdout).toContain('Verified OK');

      // yubico-piv-tool shows the CHUID and the certificates.
      const status = await run('yubico-piv-tool', ['-r', reader, '-a', 'status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/CHUID:\s+3019/);
      for (const slot of ['9a', '9c', '9d', '9e']) expect(status.stdout).toContain(`Slot ${slot}:`);
      expect(status.stdout).toContain('CN=Ada Lovelace');
      expect(status.stdout).toMatch(/PIN tries left:\s+3/);

      // The CHUID signature verifies with openssl cms against the station's CA.
      const chuidHex = /CHUID:\s+([0-9a-f]+)/.exec(status.stdout)![1]!;
      const tlvs = decodeTlvs(fromHex(chuidHex));
      const signature = tlvs.find((t) => t.tag === 0x3e)!.value;
      const tbs = Buffer.concat(tlvs.filter((t) => t.tag !== 0x3e && t.tag !== 0xee).map((t) => Buffer.from(fromHex(encodeTlvHex(t.tag, t.value)))));
      writeFileSync(join(dir, 'chuid-sig.der'), signature);
      writeFileSync(join(dir, 'chuid-tbs.bin'), tbs);
      const chain = await station(dataDir, ['ca', 'chain']);
      writeFileSync(join(dir, 'chain.pem'), chain.stdout);
      const cms = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'chuid-sig.der'), '-content', join(dir, 'chuid-tbs.bin'), '-CAfile', join(dir, 'chain.pem'), '-purpose', 'any', '-out', '/dev/null']);
      expect(cms.stderr).toContain('Verification successful');
      const certVerify = await run('openssl', ['verify', '-CAfile', join(dir, 'chain.pem'), join(dir, '9a.pem')]);
      expect(certVerify.stdout).toContain(': OK');

      // The Security Object (5FC106) as yubico-piv-tool reads it: BA maps a data group to the Printed
      // Information (3001); BB verifies with openssl against the content signer (the CHUID's certificate,
      // SP 800-73-4 Part 1 §3.1.7) and its LDS Security Object holds sha256 of the Printed Information
      // yubico-piv-tool reads.
      const soRead = await run('yubico-piv-tool', ['-r', reader, '-a', 'read-object', '--id', '0x5FC106', '-f', 'binary', '-o', join(dir, 'so.bin')]);
      expect(soRead.code, soRead.stderr).toBe(0);
      const piRead = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', PIN, '-a', 'read-object', '--id', '0x5FC109', '-f', 'binary', '-o', join(dir, 'printed.bin')]);
      expect(piRead.code, piRead.stderr).toBe(0);
      const so = decodeTlvs(new Uint8Array(readFileSync(join(dir, 'so.bin'))));
      expect(so.map((t) => t.tag)).toEqual([0xba, 0xbb, 0xfe]);
      const map = Buffer.from(so[0]!.value).toString('hex').match(/.{6}/g)!;
      const printedDg = map.find((e) => e.endsWith('3001'))!.slice(0, 2);
      writeFileSync(join(dir, 'so-sig.der'), so[1]!.value);
      const signer = await run('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'chuid-sig.der'), '-print_certs', '-out', join(dir, 'signer.pem')]);
      expect(signer.code, signer.stderr).toBe(0);
      const soCms = await run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'so-sig.der'), '-certfile', join(dir, 'signer.pem'), '-CAfile', join(dir, 'chain.pem'), '-purpose', 'any', '-out', join(dir, 'lds.der')]);
      expect(soCms.stderr).toContain('Verification successful');
      const soAsn = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', join(dir, 'so-sig.der')]);
      expect(soAsn.stdout).toMatch(/OBJECT\s*:2\.23\.136\.1\.1\.1/);
      const lds = await run('openssl', ['asn1parse', '-inform', 'DER', '-in', join(dir, 'lds.der')]);
      const printedHash = createHash('sha256').update(readFileSync(join(dir, 'printed.bin'))).digest('hex').toUpperCase();
      expect(lds.stdout).toMatch(new RegExp(`INTEGER\\s*:${printedDg.toUpperCase()}\\s*\\n[^\\n]*OCTET STRING\\s*\\[HEX DUMP\\]:${printedHash}`));

      // The factory management key is refused (the card is locked to its derived key).
      const admin = await run('yubico-piv-tool', ['-r', reader, '-a', 'set-chuid']);
      expect(admin.code).not.toBe(0);
      expect(admin.stdout + admin.stderr).toMatch(/authentication/i);

      // A wrong PIN decrements the retry counter.
      const wrong = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', '135790']);
      expect(wrong.code).not.toBe(0);
      const after = await run('yubico-piv-tool', ['-r', reader, '-a', 'status']);
      expect(after.stdout).toMatch(/PIN tries left:\s+2/);
      const right = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', PIN]);
      expect(right.code).toBe(0);

      // `station verify` agrees.
      const report = await stationJson<{ ok: boolean }>(dataDir, ['verify', '--reader', reader, '--pin', PIN]);
      expect(report.ok).toBe(true);
    });
  });
});

/** Hex of one re-encoded TLV (the test rebuilds the to-be-signed bytes from what the card returned). */
function encodeTlvHex(tag: number, value: Uint8Array): string {
  const t = tag.toString(16).padStart(tag > 0xff ? 4 : 2, '0');
  const len = value.length < 0x80 ? value.length.toString(16).padStart(2, '0') : value.length <= 0xff ? `81${value.length.toString(16).padStart(2, '0')}` : `82${value.length.toString(16).padStart(4, '0')}`;
  return t + len + Buffer.from(value).toString('hex');
}
