/** Validation problems in words with the field named (contract/input-sentence.ts), from real zod issues. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueSentence, issuesSentence } from '../../../electron/contract/input-sentence.js';
import { Pin } from '../../../electron/contract/channels/fields.js';

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a refusal');
  return r.error.issues;
};

describe('validation sentences', () => {
  it('names the field and says the limit in words, never the validator’s text', () => {
    const person = z.object({ employeeId: z.string().max(64), givenName: z.string().min(1), email: z.email(), copies: z.number().int().min(1) }).strict();
    const sentence = issuesSentence(issuesOf(person, { employeeId: 'x'.repeat(65), givenName: '', email: 'nope', copies: 0 }));
    expect(sentence).toBe('Employee id: at most 64 characters. Given name: required. E-mail: not an e-mail address. Copies: at least 1.');
    expect(sentence).not.toMatch(/Too (big|small)|expected|>=|<=/);
  });

  it('unknown fields, list items, choices and missing values', () => {
    expect(issueSentence(issuesOf(z.object({}).strict(), { colour: 'blue' })[0]!)).toBe('Unknown field: colour.');
    expect(issueSentence(issuesOf(z.object({ requestIds: z.array(z.string().max(3)) }), { requestIds: ['ok', 'toolong'] })[0]!)).toBe('Requests (item 2): at most 3 characters.');
    expect(issueSentence(issuesOf(z.object({ reason: z.enum(['lost', 'stolen']) }), { reason: 'gone' })[0]!)).toBe('Reason: one of lost, stolen.');
    expect(issueSentence(issuesOf(z.object({ readerName: z.string() }), {})[0]!)).toBe('Reader: required.');
  });

  it('a person’s employee id: too long and bad characters are told apart (contract persons fields)', () => {
    const fields = z.object({ employeeId: z.string().min(1).max(32).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and hyphens only') });
    expect(issuesSentence(issuesOf(fields, { employeeId: `E${'1'.repeat(32)}` }))).toBe('Employee id: at most 32 characters.');
    expect(issuesSentence(issuesOf(fields, { employeeId: 'E 1' }))).toBe('Employee id: letters, digits and hyphens only.');
  });

  it('keeps a schema’s own sentence (the PIN rule) as written', () => {
    expect(issueSentence(issuesOf(z.object({ pin: Pin }), { pin: '12' })[0]!)).toBe('The PIN must be 6 to 8 digits.');
  });
});
