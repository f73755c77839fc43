/**
 * Issue 12, observation 6: codes become words in one place (audit actions,
 * revocation reasons) and dates are written in the station's locale, never
 * as ISO timestamps.
 */
import { describe, expect, it } from 'vitest';
import { auditActionText, revocationReasonText } from '../../../../renderer/src/words/codes';
import { dateText, dateTimeText, dayPhrase } from '../../../../renderer/src/words/dates';

describe('codes in words', () => {
  it('audit actions are sentences, never dotted codes', () => {
    expect(auditActionText('job.step.failed')).toBe('A production step failed');
    expect(auditActionText('session.resumed')).toBe('Session resumed after a page reload');
    expect(auditActionText('cards.revoke')).toBe('Cards revoke');
    for (const code of ['job.step.failed', 'cards.revoke', 'pin-mailer.produced', 'batch.item.run']) expect(auditActionText(code)).not.toMatch(/[.]/);
  });

  it("a revocation for a lost card says so, not 'keyCompromise'", () => {
    expect(revocationReasonText('keyCompromise')).toBe('lost, stolen or key compromised');
    expect(revocationReasonText('affiliationChanged')).toBe('cardholder left');
    expect(revocationReasonText('someNewReason')).toBe('some new reason');
  });
});

describe('dates in the station locale', () => {
  it('never shows an ISO timestamp; a bare day stays that day', () => {
    const shown = dateTimeText('2029-12-07T09:30:00.000Z');
    expect(shown).not.toBe('');
    expect(shown).not.toContain('T09:30');
    expect(shown).not.toContain('Z');
    expect(dateText('2029-12-07')).toBe(new Date(2029, 11, 7).toLocaleDateString(undefined, { dateStyle: 'medium' }));
    expect(dateTimeText('not a date')).toBe('');
  });

  it('says today and yesterday', () => {
    const now = new Date(2031, 2, 4, 15, 0);
    expect(dayPhrase(new Date(2031, 2, 4, 8, 0).toISOString(), now)).toBe('today');
    expect(dayPhrase(new Date(2031, 2, 3, 23, 0).toISOString(), now)).toBe('yesterday');
    expect(dayPhrase(new Date(2031, 1, 20, 12, 0).toISOString(), now)).toMatch(/^on /);
  });
});
