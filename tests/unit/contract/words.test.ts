/** The contract's one table of words for codes (contract/words.ts). */
import { describe, expect, it } from 'vitest';
import { auditActionText, personStandingText, REQUEST_STATE_WORDS, revocationText } from '../../../electron/contract/words.js';
import { CRL_REASON_FOR, TERMINATION_REASONS } from '../../../electron/core/lifecycle/reasons.js';

describe('words for codes', () => {
  it('audit actions are sentences, never dotted codes, known or not', () => {
    expect(auditActionText('job.step.failed')).toBe('A production step failed');
    expect(auditActionText('card.revoked')).toBe('Card revoked');
    expect(auditActionText('something.new-here')).toBe('Something new here');
  });

  it('a revoked certificate says the officer’s reason; the CRL keeps the RFC 5280 code the reason maps to', () => {
    for (const reason of TERMINATION_REASONS) expect(revocationText(CRL_REASON_FOR[reason], reason)).not.toMatch(/[A-Z]/);
    expect(revocationText('keyCompromise', 'lost')).toBe('lost');
    expect(revocationText('keyCompromise', 'stolen')).toBe('stolen');
    expect(CRL_REASON_FOR.lost).toBe('keyCompromise');
    // Without the officer's reason (recycling, older cards): the CRL reason in words.
    expect(revocationText('cessationOfOperation', null)).toBe('card recycled');
    expect(revocationText('keyCompromise', undefined)).toBe('lost, stolen or key compromised');
  });

  it('where a person stands: the newest card, else the open request, else no card', () => {
    expect(personStandingText({ card: null, request: null })).toBe('No card');
    expect(personStandingText({ card: null, request: { number: 5, state: 'requested' } })).toBe(`Request R-000005 · ${REQUEST_STATE_WORDS.requested}`);
    expect(personStandingText({ card: { cardNumber: '00000002', status: 'active' }, request: null })).toBe('Card 00000002 · Active');
    // The request that made the card is not said twice; a new request beside a card is.
    expect(personStandingText({ card: { cardNumber: '00000002', status: 'in_production' }, request: { number: 5, state: 'in_production' } })).toBe('Card 00000002 · In production');
    expect(personStandingText({ card: { cardNumber: '00000002', status: 'revoked' }, request: { number: 9, state: 'requested' } })).toBe(
      'Card 00000002 · Revoked; request R-000009 · Waiting for approval',
    );
  });
});
