/**
 * A hostile or broken IDPRS (issue 13 "Bad input"): the CPR parsers (envelope,
 * CMS SignedData, JSON document) fed random and mutated CPRs, and the intake
 * fed malformed JSON, truncated CMS, wrong signatures and oversized bodies.
 * Every one is answered with a clear rejection code, no person and no request
 * is stored, and a valid CPR submitted afterwards is still accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { StationStore } from '../../../../electron/core/store/store.js';
import { decodeCprEnvelope, MAX_CPR_ENVELOPE_BYTES } from '../../../../electron/core/workflow/cpr-envelope.js';
import { peekUnverifiedContent, verifyCprSignature } from '../../../../electron/core/workflow/cpr-signature.js';
import { parseCprDocument } from '../../../../electron/core/workflow/cpr-document.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../../support/idprs.js';
import { assertTypedOnHostileInput } from '../../../support/hostile-bytes.js';
import { memoryCprIntake } from '../../../support/memory-cpr-intake.js';

let idprs: IdprsIdentity;
let stranger: IdprsIdentity;
let valid: Uint8Array;
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
  stranger = await makeIdprsIdentity({ name: 'Not the IDPRS' });
  valid = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-SEED' }));
});

const setup = () => memoryCprIntake(idprs);

/** Persons and requests in the store: what a rejected CPR must not change. */
const written = (store: StationStore) => ({ persons: store.persons.list({ limit: 100 }).total, requests: store.requests.list().length });

describe('CPR parsers on hostile input', () => {
  it('the envelope, the CMS signature check and the unverified peek answer typed', async () => {
    const pem = new TextEncoder().encode(`-----BEGIN CMS-----\n${Buffer.from(valid).toString('base64')}\n-----END CMS-----\n`);
    await assertTypedOnHostileInput([valid, pem], decodeCprEnvelope);
    await assertTypedOnHostileInput([valid], (b) => verifyCprSignature(b, idprs.certDer, new Date()), 300);
    await assertTypedOnHostileInput([valid], peekUnverifiedContent);
  });

  it('the JSON document answers CPR_MALFORMED naming the field, never quoting odd keys', async () => {
    const json = new TextEncoder().encode(JSON.stringify(cprDocument()));
    await assertTypedOnHostileInput([json], parseCprDocument);
    const odd = new TextEncoder().encode(JSON.stringify({ ...cprDocument(), '\u001b[2J\u202Eevil': 1 }));
    expect(() => parseCprDocument(odd)).toThrow(expect.objectContaining({ code: 'CPR_MALFORMED', message: expect.not.stringContaining('\u001b') }));
  });
});

describe('CPR intake under hostile submissions', () => {
  const hostile: [string, () => Promise<Uint8Array>, string][] = [
    ['malformed JSON, correctly signed', () => signCpr(idprs, new TextEncoder().encode('{"idprsRequestId": "REQ-1", "person": ')), 'CPR_MALFORMED'],
    ['JSON of the wrong shape, correctly signed', () => signCpr(idprs, new TextEncoder().encode('[1,2,3]')), 'CPR_MALFORMED'],
    ['truncated CMS', async () => valid.slice(0, Math.floor(valid.length / 2)), 'CPR_MALFORMED'],
    ['signed by another key', () => signCpr(stranger, cprDocument()), 'CPR_SIGNATURE_INVALID'],
    ['another key claiming the IDPRS certificate', () => signCpr(stranger, cprDocument(), { claimAs: idprs }), 'CPR_SIGNATURE_INVALID'],
    ['content changed after signing', () => signCpr(idprs, cprDocument(), { tamper: (j) => j.replace('Dana', 'Mallory') }), 'CPR_SIGNATURE_INVALID'],
    ['a right-to-left override in the name', () => signCpr(idprs, cprDocument({ person: { givenName: 'Dana\u202Eanad' } })), 'CPR_MALFORMED'],
    ['a terminal escape in the surname', () => signCpr(idprs, cprDocument({ person: { surname: '\u001b]0;owned\u0007Tester' } })), 'CPR_MALFORMED'],
    ['oversized body', async () => new Uint8Array(MAX_CPR_ENVELOPE_BYTES + 1).fill(0x30), 'CPR_MALFORMED'],
    ['random bytes', async () => Uint8Array.from({ length: 512 }, (_, i) => (i * 131 + 7) & 0xff), 'CPR_MALFORMED'],
    ['empty body', async () => new Uint8Array(0), 'CPR_MALFORMED'],
  ];

  it.each(hostile)('%s: rejected with %s… and nothing stored', async (_what, body, code) => {
    const { store, intake } = setup();
    const before = written(store);
    const r = await intake.submit(await body(), 'http');
    expect(r).toMatchObject({ status: 'rejected', code });
    expect(r.message.length).toBeGreaterThan(10);
    expect(written(store)).toEqual(before);
  });

  it('after every hostile submission the intake still accepts a valid CPR', async () => {
    const { store, intake } = setup();
    for (const [, body] of hostile) await intake.submit(await body(), 'http');
    const r = await intake.submit(await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-AFTER' })), 'http');
    expect(r).toMatchObject({ status: 'accepted', idprsRequestId: 'REQ-AFTER' });
    expect(written(store)).toEqual({ persons: 1, requests: 1 });
  });
});
