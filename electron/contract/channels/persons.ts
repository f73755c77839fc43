/**
 * StationApi, persons: the people cards are produced for — register, edit,
 * search, browse and import from CSV.
 */
import { z } from 'zod';
import { plainName } from '../plain-text.js';
import { Affiliation, Id } from './fields.js';
import { CardStatusShape } from './cards.js';
import { RequestStateShape } from './requests.js';

export const Person = z.object({
  id: z.string(),
  givenName: z.string(),
  surname: z.string(),
  email: z.string().nullable(),
  employeeId: z.string().nullable(),
  affiliation: Affiliation,
  createdAt: z.string(),
  /** The version of the person's current photo (persons.getPhoto), null when there is none; absent where not looked up. */
  photoVersion: z.number().nullable().optional(),
  /** Where the person stands (persons.list only): their newest card, and their open request (null: none); absent where not looked up. */
  standing: z
    .object({
      card: z.object({ cardNumber: z.string().nullable(), status: CardStatusShape }).nullable(),
      request: z.object({ number: z.number(), state: RequestStateShape }).nullable(),
    })
    .optional(),
});
export type Person = z.infer<typeof Person>;

/** The attributes of a person an officer types (persons.add, persons.update): the same rules for both. */
const PersonFields = z.object({
  givenName: plainName('The given name', 64),
  surname: plainName('The surname', 64),
  email: z.email().max(254).nullable().optional(),
  employeeId: z.string().min(1).max(32).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and hyphens only').nullable().optional(),
  affiliation: Affiliation,
});

/**
 * Most characters a persons CSV the screen sends may have: 256 Ki characters
 * (about 2 500 persons) stay under the bridge's 1 MiB frame
 * (electron/bridge/protocol.ts MAX_FRAME_BYTES) even when every character takes
 * three bytes of UTF-8 in the JSON message. Larger files: `station person import`.
 */
export const MAX_PERSONS_CSV_CHARS = 256 * 1024;
/** The sentence for a persons file over MAX_PERSONS_CSV_CHARS (the renderer refuses such a file before sending it). */
export const PERSONS_CSV_TOO_LARGE = 'The persons file is too large for the screen (at most 256 KB): split it, or import it with `station person import`.';
/**
 * Most characters one persons.import may have, whatever the face: 32 Mi
 * characters, some 300 000 persons in one all-or-nothing import (the CLI's
 * `station person import`; the screen stops at MAX_PERSONS_CSV_CHARS).
 */
export const MAX_PERSONS_IMPORT_CHARS = 32 * 1024 * 1024;
/** The sentence for a persons file over MAX_PERSONS_IMPORT_CHARS. */
export const PERSONS_IMPORT_TOO_LARGE = 'The persons file is too large (at most 32 Mi characters, about 300 000 persons): split it.';
/** Most characters one line of a persons CSV may have (six fields of at most 254 characters, quoted). */
export const MAX_PERSONS_CSV_LINE_CHARS = 2000;
/** Most persons one browse page holds. */
export const MAX_PERSONS_PAGE = 200;

/**
 * A person's place in the browse order (surname, then given name, case-insensitively, then id):
 * the key persons.list seeks from, taken from a person the screen shows. The person need not
 * still exist (nor have that name still).
 */
export const PersonKey = z.object({ surname: z.string().max(200), givenName: z.string().max(200), id: Id }).strict();
export type PersonKey = z.infer<typeof PersonKey>;

/**
 * The answer of persons.search: the first matches in the core's order, and how many persons match.
 * `more` false: exactly `total` persons match. `more` true: the core stopped counting early (past its
 * SEARCH_COUNT_CAP, 1 000, or once the answer was full and only the costly substring pass was left),
 * and `total` is a lower bound: "at least `total`".
 */
export const PersonMatchesShape = z.object({ persons: z.array(Person), total: z.number().int().min(0), more: z.boolean() });
export type PersonMatchesView = z.infer<typeof PersonMatchesShape>;

/** The answer of persons.list: one page, the exact number of persons in the list, and whether pages lie before and after it. */
export const PersonsPageShape = z.object({ persons: z.array(Person), total: z.number().int().min(0), hasBefore: z.boolean(), hasAfter: z.boolean() });
export type PersonsPageView = z.infer<typeof PersonsPageShape>;
/** The answer of persons.import: how many persons were (dry run: would be) imported, or every bad line (then none was). */
export const PersonsImportShape = z.object({
  dryRun: z.boolean(),
  imported: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type PersonsImportView = z.infer<typeof PersonsImportShape>;

export const personsChannels = {
  /**
   * Finds persons as an officer types: the start of a surname, given name, employee id or e-mail, a full
   * name ("Ada Lovelace", "Lovelace, Ada"), and from 3 characters on any part of them (the store's
   * persons.search says the order). `limit`: persons in the answer (default 50).
   */
  'persons.search': {
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }).strict(),
    output: PersonMatchesShape,
  },
  'persons.get': { input: z.object({ id: Id }).strict(), output: Person },
  'persons.add': { input: PersonFields.strict(), output: Person },
  /** Changes the given attributes of a person (electron/core/workflow/person-edit.ts says what is refused). */
  'persons.update': { input: PersonFields.partial().extend({ id: Id }).strict(), output: Person },
  /**
   * One page of everyone (or one affiliation) by surname, then given name, then id: the first page, the
   * `last`, or the page `after` or `before` a person's key (Next, Previous), or `from` it (the same page
   * again). At most one of these; none is the first page. As fast at any depth (keyset paging).
   */
  'persons.list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(MAX_PERSONS_PAGE),
        affiliation: Affiliation.optional(),
        after: PersonKey.optional(),
        before: PersonKey.optional(),
        from: PersonKey.optional(),
        last: z.literal(true).optional(),
      })
      .strict()
      .refine((p) => [p.after, p.before, p.from, p.last].filter((x) => x !== undefined).length <= 1, 'Give at most one of after, before, from and last.'),
    output: PersonsPageShape,
  },
  /** Imports persons from CSV text, all or nothing (electron/core/workflow/person-import.ts); `dryRun` checks and writes nothing. */
  'persons.import': {
    input: z
      .object({
        csv: z
          .string()
          .min(1, 'The persons file is empty.')
          .max(MAX_PERSONS_IMPORT_CHARS, PERSONS_IMPORT_TOO_LARGE)
          .refine((csv) => csv.split('\n').every((line) => line.length <= MAX_PERSONS_CSV_LINE_CHARS), 'A line of the persons file is too long: is it a CSV file of persons?'),
        dryRun: z.boolean().optional(),
      })
      .strict(),
    output: PersonsImportShape,
  },
} as const;
