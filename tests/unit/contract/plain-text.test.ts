/** Plain text for names (issue 13 "Names"): the predicate and the zod schema every entry point uses. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainText, plainName } from '../../../electron/contract/plain-text.js';

/** Characters a name must never hold, each with why. */
const REFUSED: [string, string][] = [
  ['\u202E', 'RIGHT-TO-LEFT OVERRIDE'],
  ['\u202D', 'LEFT-TO-RIGHT OVERRIDE'],
  ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
  ['\u200F', 'RIGHT-TO-LEFT MARK'],
  ['\u061C', 'ARABIC LETTER MARK'],
  ['\u200B', 'ZERO WIDTH SPACE'],
  ['\u200D', 'ZERO WIDTH JOINER'],
  ['\u2060', 'WORD JOINER'],
  ['\uFEFF', 'ZERO WIDTH NO-BREAK SPACE'],
  ['\u00AD', 'SOFT HYPHEN'],
  ['\u0000', 'NUL'],
  ['\u001B', 'ESC (terminal escape sequences)'],
  ['\u0007', 'BEL'],
  ['\n', 'LINE FEED'],
  ['\r', 'CARRIAGE RETURN'],
  ['\u007F', 'DEL'],
  ['\u009B', 'C1 CSI'],
  ['\u0085', 'C1 NEXT LINE'],
  ['\u2028', 'LINE SEPARATOR'],
  ['\u2029', 'PARAGRAPH SEPARATOR'],
  ['\uE000', 'private use'],
  ['\uD800', 'lone surrogate'],
  ['\uFFFE', 'noncharacter'],
];

const NAMES = ['Ada', 'José María', 'Müller-Lüdenscheidt', "O'Brien", 'Zoë', 'Ødegård', 'Ngũgĩ wa Thiong’o', '李小龍', 'محمد', 'עברית', 'Nguyễn Thị Minh Khai', 'Þórr', 'Αλέξανδρος', 'Дмитрий', 'अमिताभ'];

describe('isPlainText', () => {
  it('passes names in every script, with spaces, hyphens and apostrophes', () => {
    for (const name of NAMES) expect(isPlainText(name), name).toBe(true);
  });

  it.each(REFUSED)('refuses U+%#: %s', (ch) => {
    expect(isPlainText(`Ada${ch}Lovelace`)).toBe(false);
    expect(isPlainText(ch)).toBe(false);
  });

  it('refuses a refused character anywhere in any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...REFUSED.map(([c]) => c)), fc.string(), (a, bad, b) => !isPlainText(a + bad + b)),
    );
  });
});

describe('plainName', () => {
  const schema = plainName('The given name', 64);
  it('trims, and refuses empty, long and unsafe names with a sentence naming the field and the rule', () => {
    expect(schema.parse('  Ada  ')).toBe('Ada');
    expect(schema.safeParse('   ').error?.issues[0]?.message).toBe('The given name is empty');
    expect(schema.safeParse('x'.repeat(65)).error?.issues[0]?.message).toBe('The given name is longer than 64 characters');
    expect(schema.safeParse('Ada\u202Eecalevol').error?.issues[0]?.message).toBe('The given name must not contain control, text-direction or invisible characters');
  });
});
