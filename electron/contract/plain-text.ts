/**
 * Plain text for names (issue 13 "Names"): the one rule for what a person's or
 * an officer's name may hold, wherever it enters (the StationApi, a CSV import,
 * a CPR from the IDPRS).
 *
 * Refused are characters that change how the text around them is shown rather
 * than being shown themselves, so a name cannot pass for another or rewrite a
 * screen, a terminal, a report or a printed card:
 * - control characters (Unicode general category Cc: C0, DEL and C1, among them
 *   ESC, which starts terminal escape sequences, and line breaks);
 * - format characters (Cf): the bidirectional overrides, embeddings and isolates
 *   (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), zero-width space,
 *   joiners and no-break space (U+200B–U+200D, U+2060, U+FEFF), soft hyphen…;
 * - line and paragraph separators (Zl, Zp), lone surrogates (Cs), private-use
 *   characters (Co) and the noncharacters U+FDD0–U+FDEF, U+FFFE, U+FFFF.
 *
 * Letters, marks, digits, punctuation and spaces of every script pass. Names in
 * scripts that need a zero-width joiner or non-joiner between letters must be
 * entered without it (the shaping differs, the name is the same).
 */
import { z } from 'zod';

/** Characters a name may not hold (see the module comment). */
const NOT_PLAIN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\uFDD0-\uFDEF\uFFFE\uFFFF]/u;

/** The rule in the officer's words, for error messages. */
export const PLAIN_TEXT_RULE = 'must not contain control, text-direction or invisible characters';

/** True when `text` holds none of the refused characters. */
export function isPlainText(text: string): boolean {
  return !NOT_PLAIN.test(text);
}

/**
 * A trimmed, non-empty name of at most `max` characters that passes {@link isPlainText}.
 * @param label the field's name in the error messages, e.g. "The given name" or a CSV column "given_name"
 */
export function plainName(label: string, max: number): z.ZodString {
  return z
    .string()
    .trim()
    .min(1, `${label} is empty`)
    .max(max, `${label} is longer than ${max} characters`)
    .refine(isPlainText, `${label} ${PLAIN_TEXT_RULE}`);
}
