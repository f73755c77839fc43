/**
 * The card profile schema (issue 4): defaults for profiles written before
 * slots/objects/PIN policies existed, and every rule with the field it names.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../electron/core/config/station-config.js';
import { CardProfilePatchSchema, CardProfileSchema, DEFAULT_PIN_POLICY, ProfilePatchInput } from '../../../electron/contract/card-profile.js';

/** A profile as config.json files wrote it before issue 4's administration: without slots, objects, PIN policy or approval. */
const { slots: _s, objects: _o, pinPolicy: _p, approvalRequired: _a, ...OLD_EMPLOYEE } = DEFAULT_CONFIG.profiles[0]!;

/** The field of the first issue, or undefined when the profile is accepted. */
function refusedField(input: unknown): string | undefined {
  const r = CardProfileSchema.safeParse(input);
  return r.success ? undefined : r.error.issues[0]!.path.join('.');
}

describe('CardProfileSchema', () => {
  test('an old profile gets every slot, every optional object, the 6-8 either PIN policy and its approval default', () => {
    const p = CardProfileSchema.parse(OLD_EMPLOYEE);
    expect(p.slots).toEqual(['9A', '9C', '9D', '9E']);
    expect(p.objects).toEqual(['printed', 'discovery', 'key-history']);
    expect(p.pinPolicy).toEqual(DEFAULT_PIN_POLICY);
    expect(p.pinPolicy).toEqual({ minLength: 6, maxLength: 8, source: 'either' });
    expect(p.approvalRequired).toBe(true);
    expect(CardProfileSchema.parse({ ...OLD_EMPLOYEE, id: 'visitor', cardValidityMonths: 6, certificateValidityMonths: 6 }).approvalRequired).toBe(false);
  });

  test('slots and objects are put in card order without duplicates', () => {
    const p = CardProfileSchema.parse({ ...OLD_EMPLOYEE, slots: ['9E', '9A', '9E'], objects: ['key-history', 'printed'] });
    expect(p.slots).toEqual(['9A', '9E']);
    expect(p.objects).toEqual(['printed', 'key-history']);
    expect(CardProfileSchema.parse({ ...OLD_EMPLOYEE, objects: [] }).objects).toEqual([]);
  });

  test('9A and 9E are mandatory (SP 800-73-4 Part 1 Table 3); 9C and 9D optional; no unknown slot', () => {
    expect(refusedField({ ...OLD_EMPLOYEE, slots: ['9A', '9E'] })).toBeUndefined();
    expect(refusedField({ ...OLD_EMPLOYEE, slots: ['9A', '9C', '9D'] })).toBe('slots');
    expect(refusedField({ ...OLD_EMPLOYEE, slots: ['9E', '9C'] })).toBe('slots');
    expect(refusedField({ ...OLD_EMPLOYEE, slots: ['9A', '9E', '9B'] })).toBe('slots.2');
    const r = CardProfileSchema.safeParse({ ...OLD_EMPLOYEE, slots: ['9E'] });
    expect(r.success ? '' : r.error.issues[0]!.message).toMatch(/9A is mandatory/);
  });

  test('objects: only Printed Information, Discovery and Key History can be chosen', () => {
    expect(refusedField({ ...OLD_EMPLOYEE, objects: ['chuid'] })).toBe('objects.0');
    expect(refusedField({ ...OLD_EMPLOYEE, objects: ['ccc'] })).toBe('objects.0');
  });

  test('PIN policy: lengths within 6-8 (SP 800-73-4 Part 2 §2.4.3), min ≤ max, a known source', () => {
    const withPin = (pinPolicy: unknown) => ({ ...OLD_EMPLOYEE, pinPolicy });
    expect(refusedField(withPin({ minLength: 8, maxLength: 8, source: 'generated' }))).toBeUndefined();
    expect(refusedField(withPin({ minLength: 5, maxLength: 8, source: 'chosen' }))).toBe('pinPolicy.minLength');
    expect(refusedField(withPin({ minLength: 6, maxLength: 9, source: 'chosen' }))).toBe('pinPolicy.maxLength');
    expect(refusedField(withPin({ minLength: 8, maxLength: 6, source: 'chosen' }))).toBe('pinPolicy.minLength');
    expect(refusedField(withPin({ minLength: 6, maxLength: 8, source: 'typed' }))).toBe('pinPolicy.source');
    expect(refusedField(withPin({ minLength: 6.5, maxLength: 8, source: 'chosen' }))).toBe('pinPolicy.minLength');
  });

  test('validity: card at most 72 months (FIPS 201-3 §2.9.1), certificates never beyond the card, visitors at most 12 months', () => {
    expect(refusedField({ ...OLD_EMPLOYEE, cardValidityMonths: 72 })).toBeUndefined();
    expect(refusedField({ ...OLD_EMPLOYEE, cardValidityMonths: 73 })).toBe('cardValidityMonths');
    expect(refusedField({ ...OLD_EMPLOYEE, cardValidityMonths: 0 })).toBe('cardValidityMonths');
    expect(refusedField({ ...OLD_EMPLOYEE, cardValidityMonths: 24, certificateValidityMonths: 36 })).toBe('certificateValidityMonths');
    expect(refusedField({ ...OLD_EMPLOYEE, id: 'visitor', cardValidityMonths: 12, certificateValidityMonths: 12 })).toBeUndefined();
    expect(refusedField({ ...OLD_EMPLOYEE, id: 'visitor', cardValidityMonths: 13, certificateValidityMonths: 6 })).toBe('cardValidityMonths');
    expect(refusedField({ ...OLD_EMPLOYEE, id: 'contractor', cardValidityMonths: 72, certificateValidityMonths: 36 })).toBeUndefined();
  });

  test('algorithms per slot follow SP 800-78-4 (no P384 in 9A/9E)', () => {
    expect(refusedField({ ...OLD_EMPLOYEE, algorithms: { ...OLD_EMPLOYEE.algorithms, '9A': 'P384' } })).toBe('algorithms.9A');
    expect(refusedField({ ...OLD_EMPLOYEE, algorithms: { ...OLD_EMPLOYEE.algorithms, '9C': 'P384' } })).toBeUndefined();
  });
});

describe('profile patches', () => {
  test('a patch is any fields but the id; unknown fields are refused', () => {
    expect(CardProfilePatchSchema.safeParse({ cardValidityMonths: 12 }).success).toBe(true);
    expect(CardProfilePatchSchema.safeParse({ id: 'visitor' }).success).toBe(false);
    expect(CardProfilePatchSchema.safeParse({ colour: 'blue' }).success).toBe(false);
  });

  test('the StationApi patch input names the field in its message; an empty patch is refused', () => {
    const message = (input: unknown) => {
      const r = ProfilePatchInput.safeParse(input);
      return r.success ? 'accepted' : r.error.issues[0]!.message;
    };
    expect(message({ label: 'Guest' })).toBe('accepted');
    expect(message({ id: 'visitor', label: 'Guest' })).toBe('accepted'); // a whole profile: the core checks the id
    expect(message({})).toMatch(/at least one/);
    expect(message({ id: 'visitor' })).toMatch(/at least one/);
    expect(message({ colour: 'blue' })).toBe('The card profile is not acceptable: colour is not a card profile field.');
    expect(message({ algorithms: { '9A': 'P384', '9C': 'P256', '9D': 'P256', '9E': 'P256' } })).toMatch(/^The card profile is not acceptable: Algorithm of 9A: /);
    expect(message({ slots: ['9A', '9E', '9B'] })).toMatch(/^The card profile is not acceptable: Key slots: /);
    expect(message({ pinPolicy: { minLength: 6, maxLength: 8, source: 'typed' } })).toMatch(/^The card profile is not acceptable: PIN source: /);
    expect(message({ cardValidityMonths: 100 })).toMatch(/^The card profile is not acceptable: Card validity: must be at most 72 months/);
  });
});
