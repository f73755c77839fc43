/** How the persons screens say counts: grouped digits, singular or plural, and a capped count honestly. */

/** "1 person", "3 persons", "1,000,000 persons". */
export const personsCount = (n: number): string => `${n.toLocaleString('en')} ${n === 1 ? 'person' : 'persons'}`;

/**
 * What a search found, beside its list: "1 person matches.", "3 persons match.",
 * "50 shown of 234 matching persons.", "50 shown of at least 1,000 matching persons: type more to narrow it."
 * @param shown the persons listed
 * @param total how many match (persons.search `total`)
 * @param more  the core stopped counting early: at least `total` match (persons.search `more`)
 */
export function matchesSentence(shown: number, total: number, more: boolean): string {
  if (more) return `${shown.toLocaleString('en')} shown of at least ${total.toLocaleString('en')} matching persons: type more to narrow it.`;
  if (shown < total) return `${shown.toLocaleString('en')} shown of ${total.toLocaleString('en')} matching persons.`;
  return `${personsCount(total)} ${total === 1 ? 'matches' : 'match'}.`;
}
