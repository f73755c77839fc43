// @vitest-environment jsdom
/**
 * Where the keyboard starts on a screen (renderer/src/focus/screen-focus.ts):
 * the first field, or the heading until a field appears; a field the screen
 * focuses itself is left alone; focus in the navigation moves; the officer's
 * first key ends the wait.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useRef, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useScreenFocus } from '../../../../renderer/src/focus/screen-focus';

afterEach(cleanup);

let openScreen: (name: string) => void = () => undefined;
let showField: (shown: boolean) => void = () => undefined;

function Window({ initial, fieldAtFirst = true, autoFocusSecond = false }: { initial: string; fieldAtFirst?: boolean; autoFocusSecond?: boolean }) {
  const [view, setView] = useState({ name: initial });
  const [field, setField] = useState(fieldAtFirst);
  openScreen = (name) => setView({ name });
  showField = setField;
  const main = useRef<HTMLElement>(null);
  useScreenFocus(main, view);
  return (
    <>
      <nav>
        <button type="button" data-testid="nav">
          nav
        </button>
      </nav>
      <main ref={main}>
        <h2 data-testid="heading">{view.name}</h2>
        <button type="button">a button before the field</button>
        {field && <input data-testid="first" />}
        <input data-testid="second" autoFocus={autoFocusSecond} />
      </main>
    </>
  );
}

describe('useScreenFocus', () => {
  it('focuses the first field on opening, again when the navigation opens a screen', () => {
    render(<Window initial="a" />);
    expect(document.activeElement).toBe(screen.getByTestId('first'));
    screen.getByTestId('nav').focus();
    act(() => openScreen('b'));
    expect(document.activeElement).toBe(screen.getByTestId('first'));
  });

  it('leaves a field the screen focused itself', () => {
    render(<Window initial="a" autoFocusSecond />);
    expect(document.activeElement).toBe(screen.getByTestId('second'));
  });
});

function Loading() {
  const [loaded, setLoaded] = useState(false);
  showField = setLoaded;
  const main = useRef<HTMLElement>(null);
  const [view] = useState({});
  useScreenFocus(main, view);
  return (
    <main ref={main}>
      <h2 data-testid="heading">Loading screen</h2>
      {loaded && <input data-testid="late" />}
    </main>
  );
}

describe('useScreenFocus while a screen loads', () => {
  it('the heading first, the field once it appears', async () => {
    render(<Loading />);
    expect(document.activeElement).toBe(screen.getByTestId('heading'));
    expect(screen.getByTestId('heading').getAttribute('tabindex')).toBe('-1');
    await act(async () => showField(true));
    expect(document.activeElement).toBe(screen.getByTestId('late'));
  });

  it('a key pressed before the field appears ends the wait', async () => {
    render(<Loading />);
    fireEvent.keyDown(document, { key: 'Tab' });
    await act(async () => showField(true));
    expect(document.activeElement).toBe(screen.getByTestId('heading'));
  });
});

let showScreen: (shown: boolean) => void = () => undefined;

/** A screen whose code loads after it is opened (App's lazy screens): first a fallback, then a screen without a field. */
function LazyScreen() {
  const [shown, setShown] = useState(false);
  showScreen = setShown;
  const main = useRef<HTMLElement>(null);
  const [view] = useState({});
  useScreenFocus(main, view);
  return (
    <main ref={main}>
      {shown ? <h2 data-testid="heading">Approvals</h2> : <p>Opening the screen…</p>}
    </main>
  );
}

describe('useScreenFocus on a screen whose code is still loading', () => {
  it('the heading takes the focus when it appears, even on a screen with no field', async () => {
    render(<LazyScreen />);
    expect(document.activeElement).toBe(document.body);
    await act(async () => showScreen(true));
    expect(document.activeElement).toBe(screen.getByTestId('heading'));
  });
});
