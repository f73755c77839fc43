// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PersonSearch } from '../../../../../renderer/src/features/persons/PersonSearch';
import { createFakeApi, person, matches } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const people = [person(), person({ id: 'p-2', givenName: 'Alan', surname: 'Turing', email: null, employeeId: 'E-1912' })];

describe('PersonSearch', () => {
  it('shows matching persons as the officer types and selects one on click', async () => {
    const api = createFakeApi({ 'persons.search': ({ query }) => matches(...people.filter((p) => `${p.givenName} ${p.surname}`.toLowerCase().includes(query.toLowerCase()))) });
    const onSelect = vi.fn();
    renderWithStores(<PersonSearch onSelect={onSelect} />, api);
    const user = userEvent.setup();

    await user.type(screen.getByTestId('person-search'), 'a');
    await waitFor(() => expect(screen.getAllByTestId('person-result')).toHaveLength(2));
    expect(screen.getByTestId('person-search-count').textContent).toBe('2 persons match.');
    await user.type(screen.getByTestId('person-search'), 'lan');
    await waitFor(() => expect(screen.getAllByTestId('person-result')).toHaveLength(1));
    expect(screen.getByTestId('person-search-count').textContent).toBe('1 person matches.');
    const row = screen.getByTestId('person-result');
    expect(row.textContent).toContain('Alan Turing');
    expect(row.textContent).toContain('E-1912');

    await user.click(row);
    expect(onSelect).toHaveBeenCalledWith(people[1]);
  });

  it('registers a new person with the form and selects them', async () => {
    const added = person({ id: 'p-3', givenName: 'Grace', surname: 'Hopper', email: null, employeeId: null, affiliation: 'contractor' });
    const api = createFakeApi({ 'persons.add': () => added });
    const onSelect = vi.fn();
    renderWithStores(<PersonSearch onSelect={onSelect} />, api);
    const user = userEvent.setup();

    await user.click(screen.getByTestId('register-person'));
    await user.type(screen.getByTestId('person-given-name'), 'Grace');
    await user.type(screen.getByTestId('person-surname'), 'Hopper');
    await user.selectOptions(screen.getByTestId('person-affiliation'), 'contractor');
    await user.click(screen.getByTestId('person-save'));

    expect(api.callsTo('persons.add')).toEqual([{ givenName: 'Grace', surname: 'Hopper', email: null, employeeId: null, affiliation: 'contractor' }]);
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(added));
  });
});
