import { describe, expect, it } from 'vitest';
import { ADA, memoryStore, sampleCard } from './helpers.js';

function setup() {
  const store = memoryStore();
  const person = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(person.id));
  const job = store.jobs.create({ cardId: card.id, personId: person.id }, ['connect']);
  return { store, person, card, job };
}

const CERT = {
  slot: '9A',
  publicKeySpki: '3059301306072A8648CE3D020106082A8648CE3D03010703420004AB',
  der: Uint8Array.of(0x30, 0x82, 0x01, 0x00, 0xaa),
  notBefore: '2025-03-01T00:00:00.000Z',
  notAfter: '2028-03-01T00:00:00.000Z',
};

describe('certificates repository', () => {
  it('adds, gets (any case), lists by card and by job', () => {
    const { store, card, job } = setup();
    const a = store.certificates.add({ ...CERT, serial: '0A1B', cardId: card.id, jobId: job.id });
    const b = store.certificates.add({ ...CERT, serial: '0C', slot: '9C', cardId: card.id });
    expect(a).toMatchObject({ serial: '0A1B', status: 'valid', revokedAt: null, revocationReason: null, jobId: job.id });
    expect(Array.from(a.der)).toEqual(Array.from(CERT.der));
    expect(a.der).toBeInstanceOf(Uint8Array);
    expect(store.certificates.get('0a1b')).toEqual(a);
    expect(store.certificates.listByCard(card.id).map((c) => c.serial)).toEqual(['0A1B', '0C']);
    expect(store.certificates.listByJob(job.id).map((c) => c.serial)).toEqual(['0A1B']);
    expect(b.jobId).toBeNull();
  });

  it('refuses a duplicate serial, bad hex and unknown cards', () => {
    const { store, card } = setup();
    store.certificates.add({ ...CERT, serial: '01', cardId: card.id });
    expect(() => store.certificates.add({ ...CERT, serial: '01', cardId: card.id })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.certificates.add({ ...CERT, serial: '0x01', cardId: card.id })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.certificates.add({ ...CERT, serial: '02', publicKeySpki: 'abcd', cardId: card.id })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => store.certificates.add({ ...CERT, serial: '03', cardId: '00000000-0000-4000-8000-000000000000' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND_RECORD' }),
    );
  });

  it('revokes with a reason and time, holds and releases', () => {
    const { store, card } = setup();
    store.certificates.add({ ...CERT, serial: '01', cardId: card.id });
    store.certificates.setStatus('01', 'hold', 'certificateHold');
    expect(store.certificates.get('01')).toMatchObject({ status: 'hold', revocationReason: 'certificateHold' });
    store.certificates.setStatus('01', 'valid');
    expect(store.certificates.get('01')).toMatchObject({ status: 'valid', revokedAt: null, revocationReason: null });
    store.certificates.setStatus('01', 'revoked', 'cessationOfOperation');
    const revoked = store.certificates.get('01')!;
    expect(revoked.status).toBe('revoked');
    expect(revoked.revocationReason).toBe('cessationOfOperation');
    expect(Date.parse(revoked.revokedAt!)).not.toBeNaN();
    expect(() => store.certificates.setStatus('FF', 'revoked')).toThrowError(expect.objectContaining({ code: 'NOT_FOUND_RECORD' }));
    expect(() => store.certificates.setStatus('01', 'gone' as never)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

