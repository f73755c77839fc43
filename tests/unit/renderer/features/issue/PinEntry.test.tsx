// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { PinEntry } from '../../../../../renderer/src/features/issue/PinEntry';
import { createFakeApi } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

describe('PinEntry', () => {
  it('uses password inputs for digits only, at most 8', () => {
    renderWithStores(<PinEntry />, createFakeApi());
    for (const id of ['pin-input', 'pin-confirm']) {
      const input = screen.getByTestId(id) as HTMLInputElement;
      expect(input.type).toBe('password');
      expect(input.inputMode).toBe('numeric');
      expect(input.maxLength).toBe(8);
    }
    expect(screen.getByTestId('pin-rule').textContent).toContain('6 to 8 digits');
  });

  it('refuses 5 digits', async () => {
    const { stores } = renderWithStores(<PinEntry />, createFakeApi());
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '12345');
    await user.type(screen.getByTestId('pin-confirm'), '12345');
    expect(screen.getByTestId('pin-error').textContent).toBe('The PIN must be 6 to 8 digits for this card profile.');
    expect(stores.issue.getState().pin).toBe('12345');
  });

  it('refuses two different PINs and accepts matching ones', async () => {
    renderWithStores(<PinEntry />, createFakeApi());
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '246810');
    await user.type(screen.getByTestId('pin-confirm'), '654321');
    expect(screen.getByTestId('pin-error').textContent).toBe('The two PINs do not match.');
    await user.clear(screen.getByTestId('pin-confirm'));
    await user.type(screen.getByTestId('pin-confirm'), '246810');
    expect(screen.queryByTestId('pin-error')).toBeNull();
  });

  it('refuses a PIN the cardholder chooses that is easy to guess, as the core does (contract pin-rules)', async () => {
    renderWithStores(<PinEntry />, createFakeApi());
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '111111');
    await user.type(screen.getByTestId('pin-confirm'), '111111');
    expect(screen.getByTestId('pin-error').textContent).toBe('The PIN is too easy to guess (repeated or consecutive digits); choose another.');
  });

  it('states the whole choosing rule and says a guessable PIN as it is typed, before any confirmation or submit', async () => {
    renderWithStores(<PinEntry />, createFakeApi());
    expect(screen.getByTestId('pin-rule').textContent).toBe('The PIN: 6 to 8 digits, not one digit repeated (111111) or a straight run (123456, 654321).');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '12345');
    // Too short to judge yet: nothing said while typing.
    expect(screen.queryByTestId('pin-error')).toBeNull();
    await user.type(screen.getByTestId('pin-input'), '6');
    expect(screen.getByTestId('pin-error').textContent).toBe('The PIN is too easy to guess (repeated or consecutive digits); choose another.');
    // One more digit makes it acceptable: the warning goes at once.
    await user.type(screen.getByTestId('pin-input'), '9');
    expect(screen.queryByTestId('pin-error')).toBeNull();
  });

  it('drops letters and never puts the digits in the page', async () => {
    const { container, stores } = renderWithStores(<PinEntry />, createFakeApi());
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '97a53x18');
    await user.type(screen.getByTestId('pin-confirm'), '975318');
    expect(stores.issue.getState().pin).toBe('975318');
    expect(container.textContent).not.toContain('975318');
    // Not even in attributes (a controlled input would mirror it into value="…").
    expect(container.innerHTML).not.toContain('975318');
  });

  it('empties the fields when the store forgets the PIN', async () => {
    const { stores } = renderWithStores(<PinEntry />, createFakeApi());
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '123456');
    await user.type(screen.getByTestId('pin-confirm'), '123456');
    act(() => stores.issue.getState().reset());
    expect((screen.getByTestId('pin-input') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('pin-confirm') as HTMLInputElement).value).toBe('');
  });

  it('hides the inputs when the station generates the PIN', async () => {
    renderWithStores(<PinEntry />, createFakeApi());
    await userEvent.setup().click(screen.getByTestId('pin-mode-generated'));
    expect(screen.queryByTestId('pin-input')).toBeNull();
  });
});
