/**
 * What a reload (F5) of this page must not forget (issue 12 obs. 5): the
 * session's resume token and the screen shown. Kept in the tab's
 * sessionStorage, which lives as long as the tab and is never shared with
 * other tabs; the core decides whether the token still holds (same launch,
 * single use, the session lock applies). Never a PIN, a PUK or a password.
 */

const TOKEN_KEY = 'piv-station.resume-token';
const VIEW_KEY = 'piv-station.view';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null; // storage disabled: a reload logs out, as before
  }
}

/** The resume token kept for a reload, or null. */
export function keptResumeToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

/** Keeps (or, with null, forgets) the session's resume token. */
export function keepResumeToken(token: string | null | undefined): void {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(TOKEN_KEY, token);
  else s.removeItem(TOKEN_KEY);
}

/** A screen worth coming back to after a reload: its name and, for the production screen, the job. */
export interface KeptView {
  name: string;
  jobId?: string;
}

/** The screen shown before the reload, or null. */
export function keptView(): KeptView | null {
  const raw = storage()?.getItem(VIEW_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && typeof (v as KeptView).name === 'string') {
      const jobId = (v as KeptView).jobId;
      return { name: (v as KeptView).name, ...(typeof jobId === 'string' ? { jobId } : {}) };
    }
  } catch {
    // a damaged entry is forgotten below
  }
  storage()?.removeItem(VIEW_KEY);
  return null;
}

/** Keeps the screen shown (null: forget it, e.g. at logout). */
export function keepView(view: KeptView | null): void {
  const s = storage();
  if (!s) return;
  if (view) s.setItem(VIEW_KEY, JSON.stringify(view));
  else s.removeItem(VIEW_KEY);
}
