// @vitest-environment jsdom
/**
 * Editing the selected person on the requests screen: the form starts from the
 * record, sends the edited attributes, shows the saved person; a refusal
 * shows the core's sentence; no Edit action on the officer's own record.
 */
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestsScreen } from '../../../../../renderer/src/features/requests/RequestsScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi, officer, person, matches } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

async function selectAda(api: ReturnType<typeof createFakeApi>, who = officer({ roles: ['registration'] })) {
  const { stores } = renderWithStores(<RequestsScreen />, api);
  act(() => stores.session.setState({ loaded: true, officer: who }));
  const user = userEvent.setup();
  await user.type(screen.getByTestId('person-search'), 'Ada');
  await user.click(await screen.findByTestId('person-result'));
  return user;
}

describe('Edit person', () => {
  it('edits the selected person: the form starts from the record and sends the change', async () => {
    const api = createFakeApi({
      'persons.search': () => matches(person()),
      'requests.list': () => [],
      'persons.update': (i) => person({ ...i, email: i.email ?? null, employeeId: i.employeeId ?? null }),
    });
    const user = await selectAda(api);
    await user.click(screen.getByTestId('person-edit'));
    expect((screen.getByTestId('edit-person-surname') as HTMLInputElement).value).toBe('Lovelace');
    expect((screen.getByTestId('edit-person-email') as HTMLInputElement).value).toBe('ada@example.gov');
    await user.clear(screen.getByTestId('edit-person-surname'));
    await user.type(screen.getByTestId('edit-person-surname'), 'King');
    await user.clear(screen.getByTestId('edit-person-email'));
    await user.click(screen.getByTestId('edit-person-save'));
    expect((await screen.findByTestId('selected-person')).textContent).toContain('Ada King');
    expect(api.callsTo('persons.update')).toEqual([{ id: 'p-1', givenName: 'Ada', surname: 'King', email: null, employeeId: 'E-1815', affiliation: 'employee' }]);
  });

  it('shows the core’s refusal and keeps the form', async () => {
    const api = createFakeApi({
      'persons.search': () => matches(person()),
      'requests.list': () => [],
      'persons.update': () => {
        throw new ApiError({ code: 'FORBIDDEN', message: 'Ada Lovelace has an open card request (requested) for the employee profile: finish or reject it before changing the affiliation.' });
      },
    });
    const user = await selectAda(api);
    await user.click(screen.getByTestId('person-edit'));
    await user.selectOptions(screen.getByTestId('edit-person-affiliation'), 'visitor');
    await user.click(screen.getByTestId('edit-person-save'));
    expect((await screen.findByTestId('edit-person-error')).textContent).toContain('before changing the affiliation');
    expect(screen.getByTestId('edit-person')).toBeTruthy();
    await user.click(screen.getByTestId('edit-person-cancel'));
    expect(screen.getByTestId('selected-person').textContent).toContain('Ada Lovelace');
  });

  it('no Edit action on the officer’s own record', async () => {
    const api = createFakeApi({ 'persons.search': () => matches(person()), 'requests.list': () => [] });
    await selectAda(api, officer({ roles: ['registration'], personId: 'p-1' }));
    expect(screen.getByTestId('selected-person')).toBeTruthy();
    expect(screen.queryByTestId('person-edit')).toBeNull();
  });
});
