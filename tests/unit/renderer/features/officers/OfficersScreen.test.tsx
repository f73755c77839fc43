// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OfficersScreen } from '../../../../../renderer/src/features/officers/OfficersScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi, officer } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import type { OfficerView } from '../../../../../electron/contract/station-api';

afterEach(cleanup);

describe('OfficersScreen', () => {
  it('lists officers and adds one with roles; the password is cleared and never shown', async () => {
    const core: OfficerView[] = [officer({ roles: ['admin'] })];
    const api = createFakeApi({
      'officers.list': () => core,
      'officers.add': (i) => {
        if (core.some((o) => o.username === i.username)) throw new ApiError({ code: 'INVALID_INPUT', message: `The username ${i.username} is taken.` });
        const o = officer({ id: `o-${core.length + 1}`, username: i.username, displayName: i.displayName, roles: i.roles });
        core.push(o);
        return o;
      },
    });
    renderWithStores(<OfficersScreen />, api);
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(1));
    const user = userEvent.setup();
    expect((screen.getByTestId('officer-save') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('officer-username'), 'alan');
    await user.type(screen.getByTestId('officer-display-name'), 'Alan Turing');
    await user.type(screen.getByTestId('officer-password'), 'a long enough passphrase');
    await user.click(screen.getByTestId('officer-role-production'));
    await user.click(screen.getByTestId('officer-role-approver'));
    await user.click(screen.getByTestId('officer-save'));
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(2));
    // Roles go in the contract's order, whatever order they were ticked in.
    expect(api.callsTo('officers.add')).toEqual([{ username: 'alan', displayName: 'Alan Turing', password: 'a long enough passphrase', roles: ['approver', 'production'] }]);
    expect(screen.getByTestId('officer-added').textContent).toBe('Officer alan added.');
    expect((screen.getByTestId('officer-password') as HTMLInputElement).value).toBe('');
    const row = screen.getAllByTestId('officer-row').find((r) => r.getAttribute('data-username') === 'alan')!;
    expect(row.textContent).toContain('Approver, Card production administrator');

    await user.type(screen.getByTestId('officer-username'), 'alan');
    await user.type(screen.getByTestId('officer-display-name'), 'Alan Again');
    await user.type(screen.getByTestId('officer-password'), 'another passphrase!');
    await user.click(screen.getByTestId('officer-role-auditor'));
    await user.click(screen.getByTestId('officer-save'));
    expect((await screen.findByTestId('officer-error')).textContent).toBe('The username alan is taken.');
  });

  it('shows an account locked by failed logins and unlocks it through the core', async () => {
    const core: OfficerView[] = [officer({ roles: ['admin'] }), officer({ id: 'o-2', username: 'reg', roles: ['registration'], loginLocked: true })];
    const api = createFakeApi({
      'officers.list': () => core.map((o) => ({ ...o })),
      'officers.unlock': ({ officerId }) => {
        const o = core.find((x) => x.id === officerId)!;
        o.loginLocked = false;
        return o;
      },
    });
    renderWithStores(<OfficersScreen />, api);
    await waitFor(() => expect(screen.getAllByTestId('officer-locked')).toHaveLength(1));
    await userEvent.setup().click(screen.getByTestId('officer-unlock'));
    await waitFor(() => expect(screen.queryByTestId('officer-locked')).toBeNull());
    expect(api.callsTo('officers.unlock')).toEqual([{ officerId: 'o-2' }]);
  });
});
