import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEvent, chainHash, GENESIS_HASH } from '../../../../electron/core/audit/chain.js';

const EVENT = {
  seq: 1,
  at: '2025-03-01T09:00:00.000Z',
  actor: 'alice',
  action: 'card.revoked',
  outcome: 'ok',
  personId: 'p-1',
  cardId: null,
  jobId: null,
  details: { reason: 'lost', count: 2 },
};

describe('audit chain', () => {
  it('hashes the previous hash bytes then the RFC 8785 text of every field', () => {
    const text = '{"action":"card.revoked","actor":"alice","at":"2025-03-01T09:00:00.000Z","cardId":null,"details":{"count":2,"reason":"lost"},"jobId":null,"outcome":"ok","personId":"p-1","seq":1}';
    expect(canonicalEvent(EVENT)).toBe(text);
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(Buffer.from(text, 'utf8')).digest('hex');
    expect(chainHash(GENESIS_HASH, EVENT)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any field and with the previous hash', () => {
    const base = chainHash(GENESIS_HASH, EVENT);
    const variants = [
      { ...EVENT, seq: 2 },
      { ...EVENT, at: '2025-03-01T09:00:00.001Z' },
      { ...EVENT, actor: 'bob' },
      { ...EVENT, action: 'card.suspended' },
      { ...EVENT, outcome: 'failed' },
      { ...EVENT, personId: null },
      { ...EVENT, cardId: 'c' },
      { ...EVENT, jobId: 'j' },
      { ...EVENT, details: { reason: 'lost', count: 3 } },
      { ...EVENT, details: null },
    ];
    const hashes = new Set(variants.map((v) => chainHash(GENESIS_HASH, v)));
    expect(hashes.size).toBe(variants.length);
    expect(hashes.has(base)).toBe(false);
    expect(chainHash('11'.repeat(32), EVENT)).not.toBe(base);
    // Key order of the details does not matter: the canonical form sorts it.
    expect(chainHash(GENESIS_HASH, { ...EVENT, details: { count: 2, reason: 'lost' } })).toBe(base);
  });
});
