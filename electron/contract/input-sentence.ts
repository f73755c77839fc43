/**
 * Validation problems in the officer's words, field named: a zod issue
 * ("Too big: expected string to have <=64 characters" at path employeeId)
 * becomes "Employee id: at most 64 characters.". The dispatcher uses it at
 * the door for every channel's input, and the person import for each line,
 * so no screen sees a validator's text. A schema's own full sentence (one
 * that starts with a capital and ends with a full stop, e.g. the PIN rule)
 * is kept as written. Zod 4 issue shapes: https://zod.dev/packages/core#issue-types.
 * Imports nothing runtime-specific.
 */

/** The parts of a zod issue this module reads (structural, so it holds across zod's issue types). */
export interface InputIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  input?: unknown;
}

/** Field names whose words are not their camelCase split (the field's terms: PIN, PUK, GUID, FASC-N). */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  pin: 'PIN',
  puk: 'PUK',
  newPin: 'New PIN',
  email: 'E-mail',
  guid: 'GUID',
  fascn: 'FASC-N',
  csv: 'File',
  requestId: 'Request',
  requestIds: 'Requests',
  personId: 'Person',
  cardId: 'Card',
  card: 'Card',
  jobId: 'Job',
  batchId: 'Batch',
  readerName: 'Reader',
  cprId: 'CPR',
  idprsRequestId: 'IDPRS request id',
};

/** A field's name in words: the table above, else its camelCase split ("employeeId" → "Employee id"). */
export function fieldWords(name: string): string {
  const known = FIELD_WORDS[name];
  if (known) return known;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Input';
}

/** The field an issue is about, in words ("Employee id", "Requests (item 3)"); 'Input' for the whole input. */
export function issueField(path: readonly PropertyKey[]): string {
  const named = [...path].reverse().find((p): p is string => typeof p === 'string');
  const index = path.length > 0 && typeof path[path.length - 1] === 'number' ? (path[path.length - 1] as number) : undefined;
  const base = named ? fieldWords(named) : 'Input';
  return index !== undefined ? `${base} (item ${index + 1})` : base;
}

const plural = (n: number | bigint, one: string, many: string) => `${n} ${Number(n) === 1 ? one : many}`;

/** What is wrong with the value, in words, without the field. */
function problem(issue: InputIssue): string {
  const unit = (n: number | bigint) => (issue.origin === 'string' ? plural(n, 'character', 'characters') : issue.origin === 'array' ? plural(n, 'item', 'items') : String(n));
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'required';
      return issue.inclusive === false ? `more than ${unit(issue.minimum ?? 0)}` : `at least ${unit(issue.minimum ?? 0)}`;
    case 'too_big':
      return issue.inclusive === false ? `less than ${unit(issue.maximum ?? 0)}` : `at most ${unit(issue.maximum ?? 0)}`;
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'required' : 'not a value of the right kind';
    case 'invalid_format':
      if (issue.format === 'email') return 'not an e-mail address';
      if (issue.format === 'uuid' || issue.format === 'guid') return 'not a valid identifier';
      if (issue.format === 'date' || issue.format === 'datetime') return 'not a date';
      return 'not in the accepted form';
    case 'invalid_value':
      return issue.values?.length ? `one of ${issue.values.map(String).join(', ')}` : 'not an accepted value';
    case 'not_multiple_of':
      return 'not a whole number';
    default:
      return 'not acceptable';
  }
}

/** True for a message the schema's author wrote as a whole sentence (kept as is). */
function isOwnSentence(message: string): boolean {
  return /^[A-Z]/.test(message) && /[.!?]$/.test(message) && !/^(Too (small|big)|Invalid|Unrecognized|Expected)\b/.test(message);
}

/**
 * One issue as a sentence naming its field: "Employee id: at most 64 characters.",
 * "Given name: required.", "Unknown field: colour.", or the schema's own sentence.
 */
export function issueSentence(issue: InputIssue): string {
  if (isOwnSentence(issue.message)) return issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys ?? [];
    return `${keys.length === 1 ? 'Unknown field' : 'Unknown fields'}: ${keys.join(', ')}.`;
  }
  // A lowercase message the schema chose ("not an id") is the better description of the problem.
  const custom = /^[a-z]/.test(issue.message) && issue.code === 'invalid_format' ? issue.message : null;
  return `${issueField(issue.path)}: ${custom ?? problem(issue)}.`;
}

/** Every issue of a failed parse as sentences, one per field (first issue of each field), joined. */
export function issuesSentence(issues: readonly InputIssue[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const i of issues) {
    const key = i.path.map(String).join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issueSentence(i));
  }
  return out.join(' ');
}
