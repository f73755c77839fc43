/**
 * Where the keyboard starts on a screen (issue 12 "Also": every workflow
 * without a mouse): when the officer opens a screen, focus goes to its first
 * field, or — while the screen has none yet (its data still loading) or none
 * at all — to its heading, moving on to the first field if one appears before
 * the officer does anything (WCAG 2.2 SC 2.4.3 Focus Order).
 */
import { useEffect, type RefObject } from 'react';

/** A field the officer types into or chooses from, enabled and not hidden. */
const FIELD = 'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled])';

/**
 * Whether the officer can see `element`: a suspended lazy screen's predecessor stays in the
 * DOM, hidden, until the new screen's code arrives (React Suspense), and focus() on a hidden
 * element does nothing. Where the browser cannot say (jsdom), it counts as shown.
 */
function shown(element: HTMLElement): boolean {
  return typeof element.checkVisibility !== 'function' || element.checkVisibility();
}

/** The first element under `root` matching `selector` that the officer can see, or null. */
function firstShown(root: HTMLElement, selector: string): HTMLElement | null {
  return [...root.querySelectorAll<HTMLElement>(selector)].find(shown) ?? null;
}

/**
 * Puts the focus at the start of the screen shown in `main` each time
 * `opened` changes (and on mount): pass the view object the navigation
 * makes anew on each opening, so opening the screen already shown (its
 * navigation button pressed again) starts there again too. Focus already inside the screen (an
 * `autoFocus` field) is left alone, focus elsewhere (the navigation) moves; the officer's first key or click ends the
 * wait for a field.
 */
export function useScreenFocus(main: RefObject<HTMLElement | null>, opened: object): void {
  useEffect(() => {
    const root = main.current;
    if (!root) return;
    let placed: Element | null = null;
    const free = () => {
      const active = document.activeElement;
      // Focus outside the screen (the navigation button that opened it) or gone with the last screen is free to move.
      return active === null || active === placed || !root.contains(active);
    };
    const toField = (): boolean => {
      if (!free()) return true;
      const field = firstShown(root, FIELD);
      if (!field) return false;
      field.focus();
      return true;
    };
    // The heading holds the focus while no field is there; a screen whose code is still loading
    // (App's lazy screens) has no heading yet either, so the heading is placed when it appears.
    const toHeading = () => {
      if (placed || !free()) return;
      const heading = firstShown(root, 'h2');
      if (!heading) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
      placed = heading;
    };
    if (toField()) return;
    toHeading();
    const observer = new MutationObserver(() => {
      if (toField()) stop();
      else toHeading();
    });
    const stop = () => {
      observer.disconnect();
      document.removeEventListener('keydown', stop, true);
      document.removeEventListener('pointerdown', stop, true);
    };
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
    document.addEventListener('keydown', stop, true);
    document.addEventListener('pointerdown', stop, true);
    return stop;
  }, [main, opened]);
}
