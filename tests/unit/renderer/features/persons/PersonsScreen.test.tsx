// @vitest-environment jsdom
/**
 * The Persons screen over a fake API whose persons channels answer from a real
 * in-memory store and the core's import rules: browse pages and the
 * affiliation filter, select → detail → edit, the import dry run showing each
 * bad line, then the import of the mended file; what an auditor sees.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Person } from '../../../../../electron/contract/station-api';
import type { PersonRecord } from '../../../../../electron/core/store/records';
import { importPersons } from '../../../../../electron/core/workflow/person-import';
import { PersonsScreen } from '../../../../../renderer/src/features/persons/PersonsScreen';
import { createFakeApi, officer } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import { memoryStore } from '../../../core/store/helpers';

afterEach(cleanup);

const HEADER = 'given_name,surname,email,employee_id,affiliation';
const view = (p: PersonRecord): Person => ({ id: p.id, givenName: p.givenName, surname: p.surname, email: p.email, employeeId: p.employeeId, affiliation: p.affiliation, createdAt: p.createdAt });

/** A fake API over a real store holding `count` persons named Person001…, every third a visitor. */
function station(count: number) {
  const store = memoryStore();
  for (let i = 1; i <= count; i++) store.persons.add({ givenName: 'Given', surname: `Person${String(i).padStart(3, '0')}`, affiliation: i % 3 === 0 ? 'visitor' : 'employee' });
  const api = createFakeApi({
    'persons.list': (page) => {
      const { persons, ...place } = store.persons.list(page);
      return { persons: persons.map(view), ...place };
    },
    'persons.search': ({ query }) => {
      const { persons, ...count } = store.persons.search(query);
      return { persons: persons.map(view), ...count };
    },
    'persons.update': ({ id, ...patch }) => view(store.persons.update(id, patch)),
    'persons.import': ({ csv, dryRun }) => {
      const { added, errors } = importPersons(store, csv, 'registrar', { dryRun });
      return { dryRun: dryRun ?? false, imported: added, errors };
    },
  });
  return { store, api };
}

function open(api: ReturnType<typeof createFakeApi>, roles: ('registration' | 'auditor')[] = ['registration'], onRequestCard?: (p: Person) => void) {
  const { stores } = renderWithStores(<PersonsScreen onRequestCard={onRequestCard} />, api);
  act(() => stores.session.setState({ loaded: true, officer: officer({ roles }) }));
  return { stores, user: userEvent.setup() };
}

const surnames = () => screen.queryAllByTestId('persons-row').map((r) => within(r).getAllByRole('cell')[0]!.textContent);
const csvFile = (name: string, text: string) => new File([text], name, { type: 'text/csv' });

describe('PersonsScreen', () => {
  const info = () => screen.getByTestId('persons-page-info').textContent;
  const disabled = (id: string) => (screen.getByTestId(id) as HTMLButtonElement).disabled;

  it('browses page by page in surname order (first, next, previous, last), and filters by affiliation', async () => {
    const { api } = station(120);
    const { user } = open(api);
    await waitFor(() => expect(surnames()).toHaveLength(50));
    expect(surnames()[0]).toBe('Person001');
    expect(info()).toBe('1–50 of 120 persons');
    expect([disabled('persons-first'), disabled('persons-prev'), disabled('persons-next'), disabled('persons-last')]).toEqual([true, true, false, false]);
    await user.click(screen.getByTestId('persons-next'));
    await waitFor(() => expect(info()).toBe('51–100 of 120 persons'));
    expect(surnames()[0]).toBe('Person051');
    await user.click(screen.getByTestId('persons-next'));
    await waitFor(() => expect(info()).toBe('101–120 of 120 persons'));
    expect(surnames()).toHaveLength(20);
    expect(surnames()[19]).toBe('Person120');
    expect([disabled('persons-first'), disabled('persons-prev'), disabled('persons-next'), disabled('persons-last')]).toEqual([false, false, true, true]);
    await user.click(screen.getByTestId('persons-prev'));
    await waitFor(() => expect(info()).toBe('51–100 of 120 persons'));
    expect(surnames()[0]).toBe('Person051');
    await user.click(screen.getByTestId('persons-first'));
    await waitFor(() => expect(info()).toBe('1–50 of 120 persons'));
    // The last page holds the last 50, so it overlaps the one before it when the total is not a multiple of 50.
    await user.click(screen.getByTestId('persons-last'));
    await waitFor(() => expect(info()).toBe('71–120 of 120 persons'));
    expect([surnames()[0], surnames()[49]]).toEqual(['Person071', 'Person120']);
    await user.click(screen.getByTestId('persons-prev'));
    await waitFor(() => expect(info()).toBe('21–70 of 120 persons'));
    expect(surnames()[0]).toBe('Person021');
    expect(api.callsTo('persons.list').at(-1)).toEqual({ limit: 50, before: { surname: 'Person071', givenName: 'Given', id: expect.any(String) } });

    await user.click(screen.getByTestId('persons-filter-visitor'));
    await waitFor(() => expect(info()).toBe('1–40 of 40 persons'));
    expect(surnames().slice(0, 2)).toEqual(['Person003', 'Person006']);
    expect(api.callsTo('persons.list').at(-1)).toEqual({ limit: 50, affiliation: 'visitor' });
  });

  it('search shows how many persons match, and says "at least" when the core stopped counting', async () => {
    const { api, store } = station(60);
    const { user } = open(api);
    await user.type(screen.getByTestId('person-search'), 'Person00');
    await waitFor(() => expect(screen.getByTestId('person-search-count').textContent).toBe('9 persons match.'));
    await user.clear(screen.getByTestId('person-search'));
    await user.type(screen.getByTestId('person-search'), 'Person');
    await waitFor(() => expect(screen.getByTestId('person-search-count').textContent).toBe('50 shown of 60 matching persons.'));
    store.transaction(() => {
      for (let i = 0; i <= 1000; i++) store.persons.add({ givenName: 'Many', surname: `Person9${String(i).padStart(4, '0')}`, affiliation: 'visitor' });
    });
    await user.type(screen.getByTestId('person-search'), '9');
    await waitFor(() => expect(screen.getByTestId('person-search-count').textContent).toBe('50 shown of at least 1,000 matching persons: type more to narrow it.'));
    expect(screen.getByTestId('person-search-count').getAttribute('data-more')).toBe('true');
  });

  it('a selected person shows the record; Edit saves through the core and the list follows; Request a card hands the person on', async () => {
    const { api } = station(3);
    const onRequestCard = vi.fn();
    const { user } = open(api, ['registration'], onRequestCard);
    await waitFor(() => expect(surnames()).toHaveLength(3));
    await user.click(within(screen.getAllByTestId('persons-row')[1]!).getByRole('button'));
    expect(screen.getByTestId('person-detail').textContent).toContain('Given Person002');
    await user.click(screen.getByTestId('person-edit'));
    await user.clear(screen.getByTestId('edit-person-surname'));
    await user.type(screen.getByTestId('edit-person-surname'), 'Zuse');
    await user.click(screen.getByTestId('edit-person-save'));
    await waitFor(() => expect(surnames()).toEqual(['Person001', 'Person003', 'Zuse']));
    expect(screen.getByTestId('person-detail').textContent).toContain('Given Zuse');
    await user.click(screen.getByTestId('person-request-card'));
    expect(onRequestCard).toHaveBeenCalledWith(expect.objectContaining({ surname: 'Zuse' }));
  });

  it('import: the dry run shows each bad line and imports nothing; the mended file shows its count, then imports', async () => {
    const { api, store } = station(0);
    const { user } = open(api);
    await screen.findByText('No person is registered yet.');
    const bad = `${HEADER}\nAda,Lovelace,,E-1,employee\nGrace,Hopper,not-mail,,contractor\nAlan,Turing,,,martian\n`;
    await user.upload(screen.getByTestId('persons-import-file'), csvFile('staff.csv', bad));
    const problems = await screen.findAllByTestId('persons-import-problem');
    expect(problems.map((p) => [p.getAttribute('data-line'), p.textContent])).toEqual([
      ['3', 'Line 3: email is not an e-mail address'],
      ['4', 'Line 4: affiliation must be employee, contractor or visitor'],
    ]);
    expect(screen.queryByTestId('persons-import-run')).toBeNull();
    expect(store.persons.list({ limit: 10 }).total).toBe(0);
    expect(api.callsTo('persons.import')).toEqual([{ csv: bad, dryRun: true }]);

    const good = bad.replace('not-mail', 'grace@example.test').replace('martian', 'visitor');
    await user.upload(screen.getByTestId('persons-import-file'), csvFile('staff.csv', good));
    expect((await screen.findByTestId('persons-import-preview')).getAttribute('data-count')).toBe('3');
    expect(store.persons.list({ limit: 10 }).total).toBe(0);
    await user.click(screen.getByTestId('persons-import-run'));
    expect((await screen.findByTestId('persons-import-done')).textContent).toBe('3 persons imported.');
    await waitFor(() => expect(surnames()).toEqual(['Hopper', 'Lovelace', 'Turing']));
    expect(api.callsTo('persons.import').at(-1)).toEqual({ csv: good });
  });

  it('a file over the size limit is refused before it is sent', async () => {
    const { api } = station(0);
    const { user } = open(api);
    await user.upload(screen.getByTestId('persons-import-file'), csvFile('huge.csv', `${HEADER}\n${'Ada,Lovelace,,,employee\n'.repeat(12_000)}`));
    expect((await screen.findByTestId('persons-import-error')).textContent).toContain('too large');
    expect(api.callsTo('persons.import')).toEqual([]);
  });

  it('an auditor browses and searches but sees no import, registration or edit', async () => {
    const { api } = station(2);
    const { user } = open(api, ['auditor']);
    await waitFor(() => expect(surnames()).toHaveLength(2));
    expect(screen.queryByTestId('persons-import-file')).toBeNull();
    expect(screen.queryByTestId('register-person')).toBeNull();
    await user.type(screen.getByTestId('person-search'), 'Person002');
    await user.click(await screen.findByTestId('person-result'));
    expect(screen.getByTestId('person-detail').textContent).toContain('Person002');
    expect(screen.queryByTestId('person-edit')).toBeNull();
    expect(screen.queryByTestId('person-request-card')).toBeNull();
  });
});
