/**
 * Dates and times as the station's locale writes them (the browser's or
 * Electron's default locale: the officer's desk). Chip objects and the card
 * face keep the formats their standards fix; they are not formatted here.
 */

/** A date and time, e.g. "07/12/2026, 14:03" in en-GB; '' for a missing or unreadable value. */
export function dateTimeText(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A calendar date (YYYY-MM-DD or ISO 8601) in the station's locale, e.g. "7 Dec 2026"; '' when unreadable. */
export function dateText(isoOrDay: string | null | undefined): string {
  if (!isoOrDay) return '';
  // A bare day is a calendar date, not midnight UTC: read it as local so no time zone moves it a day.
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoOrDay);
  const d = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(isoOrDay);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "today", "yesterday" or "on <date>" for an instant, as seen from `now`. */
export function dayPhrase(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(d)) / 86_400_000);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `on ${dateText(iso)}`;
}
