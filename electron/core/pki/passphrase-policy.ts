/**
 * The strength a data dir's passphrase must have (issue 13 "Passphrase
 * policy"): it unlocks the CA keys, the station master key and every escrowed
 * PUK, and a copy of keyring.json lets an attacker guess offline. Judged by
 * zxcvbn (@zxcvbn-ts, with its common and English dictionaries), which
 * estimates how many guesses an attacker who knows common passwords, words,
 * names, keyboard patterns, dates and l33t spellings would need:
 *
 * - at least {@link MIN_PASSPHRASE_LENGTH} characters, and
 * - zxcvbn score {@link MIN_PASSPHRASE_SCORE} (at least 10^10 guesses), with
 *   the station's own words (its name, the organization) counted as known.
 *
 * Together with scrypt at N = 2^17 per guess (keyring.ts) that leaves an
 * offline attacker with years of work. The dictionaries are loaded only when
 * a passphrase is chosen (they take a moment to load).
 */
import { StationError } from '../errors.js';

/** Fewest characters of a passphrase. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** Lowest zxcvbn score accepted: 4, "very unguessable" (≥ 10^10 guesses). */
export const MIN_PASSPHRASE_SCORE = 4;
/** Words any attacker of a station would try first. */
const STATION_WORDS = ['piv', 'station', 'pivstation', 'piv-station', 'passphrase', 'card', 'smartcard'];

type Estimator = { check(password: string, userInputs?: (string | number)[]): { score: number; feedback: { warning: string | null; suggestions: string[] } } };
let estimator: Promise<Estimator> | undefined;

function loadEstimator(): Promise<Estimator> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
  })();
  return estimator;
}

/**
 * Refuses a passphrase too weak to protect a data dir.
 * @param known words of this station an attacker knows (organization name, data dir name…)
 * @throws StationError INVALID_INPUT with zxcvbn's advice (never the passphrase itself)
 */
export async function assertPassphraseStrength(passphrase: string, known: string[] = []): Promise<void> {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new StationError('INVALID_INPUT', `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters: use several unrelated words.`, { field: 'passphrase' });
  }
  const result = (await loadEstimator()).check(passphrase, [...STATION_WORDS, ...known.filter((w) => w.length > 0)]);
  if (result.score >= MIN_PASSPHRASE_SCORE) return;
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter((s): s is string => !!s && s.length > 0).join(' ');
  throw new StationError('INVALID_INPUT', `The passphrase is too easy to guess.${advice ? ` ${advice}` : ''} Use four or more unrelated words.`, { field: 'passphrase', score: result.score });
}
