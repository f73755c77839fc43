import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { verifyCprSignature } from '../../../../electron/core/workflow/cpr-signature.js';
import { decodeCprEnvelope } from '../../../../electron/core/workflow/cpr-envelope.js';
import { parseCprDocument } from '../../../../electron/core/workflow/cpr-document.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../../support/idprs.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isStationError(e) ? e.code : `foreign:${String(e)}`;
  }
  return 'ok';
}

describe('verifyCprSignature', () => {
  let idprs: IdprsIdentity;
  let rsa: IdprsIdentity;
  let other: IdprsIdentity;
  beforeAll(async () => {
    idprs = await makeIdprsIdentity();
    rsa = await makeIdprsIdentity({ algorithm: 'RSA2048', name: 'RSA IDPRS' });
    other = await makeIdprsIdentity({ name: 'Someone else' });
  });

  it('returns the signed JSON for a CPR signed by the configured certificate (ECDSA and RSA)', async () => {
    const doc = cprDocument({ idprsRequestId: 'REQ-1' });
    for (const id of [idprs, rsa]) {
      const v = await verifyCprSignature(await signCpr(id, doc), id.certDer, new Date());
      expect(parseCprDocument(v.content)).toEqual(doc);
      expect(v.signingTime).toBeInstanceOf(Date);
    }
  });

  it('uses the configured certificate even when the message carries none', async () => {
    const der = await signCpr(idprs, cprDocument(), { omitCertificate: true });
    await expect(code(verifyCprSignature(der, idprs.certDer, new Date()))).resolves.toBe('ok');
  });

  it('refuses a CPR signed by another key, even one naming the configured certificate', async () => {
    await expect(code(verifyCprSignature(await signCpr(other, cprDocument()), idprs.certDer, new Date()))).resolves.toBe('CPR_SIGNATURE_INVALID');
    await expect(code(verifyCprSignature(await signCpr(other, cprDocument(), { claimAs: idprs }), idprs.certDer, new Date()))).resolves.toBe(
      'CPR_SIGNATURE_INVALID',
    );
  });

  it('refuses tampered content', async () => {
    const der = await signCpr(idprs, cprDocument(), { tamper: (j) => j.replace('Tester', 'Mallory') });
    await expect(code(verifyCprSignature(der, idprs.certDer, new Date()))).resolves.toBe('CPR_SIGNATURE_INVALID');
  });

  it('refuses a content type other than data', async () => {
    const der = await signCpr(idprs, cprDocument(), { contentType: '2.16.840.1.101.3.6.1' });
    await expect(code(verifyCprSignature(der, idprs.certDer, new Date()))).resolves.toBe('CPR_MALFORMED');
  });

  it('refuses when the configured certificate is outside its validity', async () => {
    const der = await signCpr(idprs, cprDocument());
    await expect(code(verifyCprSignature(der, idprs.certDer, new Date(Date.now() + 365 * 86_400_000)))).resolves.toBe('CPR_SIGNATURE_INVALID');
  });

  it('refuses garbage and truncated messages as malformed', async () => {
    const der = await signCpr(idprs, cprDocument());
    await expect(code(verifyCprSignature(new Uint8Array([0x30, 0x03, 1, 2, 3]), idprs.certDer, new Date()))).resolves.toBe('CPR_MALFORMED');
    await expect(code(verifyCprSignature(der.subarray(0, der.length - 20), idprs.certDer, new Date()))).resolves.toMatch(/^CPR_/);
  });

  it('accepts a CPR signed by openssl cms (an independent signer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpr-openssl-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=openssl IDPRS', '-days', '2',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const doc = cprDocument({ idprsRequestId: 'REQ-OSSL' });
      writeFileSync(join(dir, 'cpr.json'), JSON.stringify(doc));
      execFileSync('openssl', ['cms', '-sign', '-binary', '-nodetach', '-outform', 'PEM', '-in', join(dir, 'cpr.json'), '-signer', join(dir, 'cert.pem'),
        '-inkey', join(dir, 'key.pem'), '-out', join(dir, 'cpr.pem')], { stdio: 'ignore' });
      const certDer = new Uint8Array(Buffer.from(readFileSync(join(dir, 'cert.pem'), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64'));
      const der = decodeCprEnvelope(readFileSync(join(dir, 'cpr.pem')));
      const v = await verifyCprSignature(der, certDer, new Date());
      expect(parseCprDocument(v.content)).toEqual(doc);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decodeCprEnvelope', () => {
  it('accepts DER, base64 and PEM of the same message', async () => {
    const id = await makeIdprsIdentity();
    const der = await signCpr(id, cprDocument());
    const b64 = Buffer.from(der).toString('base64');
    expect(decodeCprEnvelope(der)).toEqual(der);
    expect(decodeCprEnvelope(Buffer.from(b64.replace(/(.{64})/g, '$1\n')))).toEqual(der);
    expect(decodeCprEnvelope(Buffer.from(`-----BEGIN CMS-----\n${b64}\n-----END CMS-----\n`))).toEqual(der);
  });

  it('refuses empty and non-CMS bodies', () => {
    for (const body of [new Uint8Array(), Buffer.from('{"idprsRequestId":"x"}'), Buffer.from('aGVsbG8=')]) {
      expect(() => decodeCprEnvelope(body)).toThrow(expect.objectContaining({ code: 'CPR_MALFORMED' }));
    }
  });
});

describe('parseCprDocument', () => {
  const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
  it('names the offending field, never its value', () => {
    const bad = { ...cprDocument(), profile: 'admiral' };
    try {
      parseCprDocument(enc(bad));
      expect.unreachable();
    } catch (e) {
      expect(isStationError(e, 'CPR_MALFORMED')).toBe(true);
      expect((e as Error).message).toContain('profile');
      expect((e as Error).message).not.toContain('admiral');
    }
  });
  it('refuses unknown fields, non-JSON and non-UTF-8', () => {
    for (const raw of [enc({ ...cprDocument(), extra: 1 }), enc('not json'), new Uint8Array([0xff, 0xfe, 0x00])]) {
      expect(() => parseCprDocument(raw)).toThrow(expect.objectContaining({ code: 'CPR_MALFORMED' }));
    }
  });
});
