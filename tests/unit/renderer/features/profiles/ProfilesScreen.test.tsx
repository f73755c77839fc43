// @vitest-environment jsdom
/**
 * The card profiles screen (administrator): every profile with its version;
 * a rule broken in the form is named before saving; a save sends the fields
 * to profiles.update and shows the new version; the core's refusal is shown.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ProfilesScreen } from '../../../../../renderer/src/features/profiles/ProfilesScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import type { Profile } from '../../../../../electron/contract/station-api';
import { createFakeApi, flush } from '../../support/fake-api';
import { profileView } from '../../support/profiles';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

function setup(update?: (input: { id: Profile['id']; patch: Record<string, unknown> }) => Profile) {
  let profiles = [profileView('contractor'), profileView('employee'), profileView('visitor')];
  const api = createFakeApi({
    'profiles.list': () => profiles,
    'profiles.update': (input) => {
      const saved = update ? update(input) : ({ ...profiles.find((p) => p.id === input.id)!, ...input.patch, version: 2, updatedBy: 'admin' } as Profile);
      profiles = profiles.map((p) => (p.id === input.id ? saved : p));
      return { ...saved, changes: [] };
    },
  });
  const r = renderWithStores(<ProfilesScreen />, api);
  return { api, ...r };
}

const card = (id: string) => screen.getAllByTestId('profile-card').find((c) => c.getAttribute('data-profile-id') === id)!;
const within = (id: string, testId: string) => card(id).querySelector(`[data-testid="${testId}"]`) as HTMLInputElement;

describe('ProfilesScreen', () => {
  it('names a broken rule before saving, saves a valid change and shows the new version', async () => {
    const { api } = setup();
    await act(flush);
    await waitFor(() => expect(screen.getAllByTestId('profile-card')).toHaveLength(3));
    expect(card('visitor').getAttribute('data-version')).toBe('1');
    expect(within('visitor', 'profile-slot-9A').disabled).toBe(true); // mandatory
    const user = userEvent.setup();

    await user.clear(within('visitor', 'profile-cert-validity'));
    await user.type(within('visitor', 'profile-cert-validity'), '9');
    expect(within('visitor', 'profile-problem').textContent).toMatch(/Certificate validity: the certificates must not outlive the card/);
    expect((within('visitor', 'profile-save') as unknown as HTMLButtonElement).disabled).toBe(true);

    await user.clear(within('visitor', 'profile-cert-validity'));
    await user.type(within('visitor', 'profile-cert-validity'), '3');
    await user.click(within('visitor', 'profile-slot-9C'));
    await user.click(within('visitor', 'profile-object-printed'));
    await user.selectOptions(within('visitor', 'profile-pin-min'), '8');
    await user.click(within('visitor', 'profile-pin-source-generated'));
    expect(within('visitor', 'profile-problem')).toBeNull();
    await user.click(within('visitor', 'profile-save'));

    await waitFor(() => expect(within('visitor', 'profile-saved')?.textContent).toBe('Saved as version 2.'));
    expect(card('visitor').getAttribute('data-version')).toBe('2');
    const [call] = api.callsTo('profiles.update') as { id: string; patch: Record<string, unknown> }[];
    expect(call!.id).toBe('visitor');
    expect(call!.patch).toMatchObject({
      certificateValidityMonths: 3,
      slots: ['9A', '9D', '9E'],
      objects: ['discovery', 'key-history'],
      pinPolicy: { minLength: 8, maxLength: 8, source: 'generated' },
    });
  });

  it('shows the core’s refusal with the field it names', async () => {
    setup(() => {
      throw new ApiError({ code: 'FORBIDDEN', message: 'This needs the Administrator role.', details: { field: '' } });
    });
    await act(flush);
    await waitFor(() => expect(screen.getAllByTestId('profile-card')).toHaveLength(3));
    const user = userEvent.setup();
    await user.click(within('employee', 'profile-approval'));
    await user.click(within('employee', 'profile-save'));
    await waitFor(() => expect(within('employee', 'profile-error')?.textContent).toBe('This needs the Administrator role.'));
    expect(card('employee').getAttribute('data-version')).toBe('1');
  });
});
