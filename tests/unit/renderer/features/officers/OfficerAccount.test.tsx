// @vitest-environment jsdom
/**
 * The Officers screen's account actions (issue 12 obs. 9): edit, disable,
 * re-enable, reset password (one-time password shown once, focus on it),
 * controls the account rules forbid disabled with the contract's reason; the
 * role table from the contract; "Add the officer" disabled only with its
 * reason shown.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { OfficersScreen } from '../../../../../renderer/src/features/officers/OfficersScreen';
import { StepList } from '../../../../../renderer/src/features/production/StepList';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi, officer } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import { roleAbilities } from '../../../../../electron/contract/role-abilities';
import type { OfficerView } from '../../../../../electron/contract/station-api';
import { render } from '@testing-library/react';

afterEach(cleanup);

function station() {
  const me = officer({ id: 'o-admin', username: 'admin', roles: ['admin'] });
  const core: OfficerView[] = [me, officer({ id: 'o-reg', username: 'reg', displayName: 'Reg', roles: ['registration'] })];
  const api = createFakeApi({
    'officers.list': () => core.map((o) => ({ ...o })),
    'officers.update': (i) => {
      const o = core.find((x) => x.id === i.officerId)!;
      if (i.displayName) o.displayName = i.displayName;
      if (i.roles) o.roles = i.roles;
      return o;
    },
    'officers.setStatus': (i) => {
      const o = core.find((x) => x.id === i.officerId)!;
      if (o.id === 'o-reg' && i.status === 'disabled' && o.displayName === 'Refused') throw new ApiError({ code: 'FORBIDDEN', message: 'The core said no.' });
      o.status = i.status;
      return o;
    },
    'officers.resetPassword': (i) => ({ officer: core.find((x) => x.id === i.officerId)!, password: 'abcd-efgh-jkmn-pqrs-tuvw' }),
  });
  const r = renderWithStores(<OfficersScreen />, api);
  act(() => r.stores.session.setState({ loaded: true, officer: me }));
  return { api, core, ...r };
}

const rowOf = (username: string) => screen.getAllByTestId('officer-row').find((r) => r.getAttribute('data-username') === username)!;

describe('officer accounts on the Officers screen', () => {
  it('the own account cannot be disabled, with the reason beside the disabled button; another can, and is re-enabled', async () => {
    const { api } = station();
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(2));
    const mine = within(rowOf('admin'));
    expect((mine.getByTestId('officer-disable') as HTMLButtonElement).disabled).toBe(true);
    expect(mine.getByTestId('officer-status-blocked').textContent).toBe('You cannot disable your own account: another administrator must do it.');
    const user = userEvent.setup();
    await user.click(within(rowOf('reg')).getByTestId('officer-disable'));
    const notice = await screen.findByTestId('officer-account-notice');
    expect(notice.textContent).toBe('Officer reg disabled: their sessions ended.');
    expect(document.activeElement).toBe(notice);
    expect(rowOf('reg').textContent).toContain('Disabled');
    await user.click(within(rowOf('reg')).getByTestId('officer-enable'));
    await waitFor(() => expect(screen.getByTestId('officer-account-notice').textContent).toBe('Officer reg re-enabled.'));
    expect(api.callsTo('officers.setStatus')).toEqual([
      { officerId: 'o-reg', status: 'disabled' },
      { officerId: 'o-reg', status: 'active' },
    ]);
  });

  it('edit: name and roles through officers.update; taking the Administrator role from oneself is refused on screen first', async () => {
    const { api } = station();
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(2));
    const user = userEvent.setup();
    await user.click(within(rowOf('admin')).getByTestId('officer-edit'));
    await user.click(within(rowOf('admin')).getByTestId('officer-edit-role-auditor'));
    await user.click(within(rowOf('admin')).getByTestId('officer-edit-role-admin'));
    expect(within(rowOf('admin')).getByTestId('officer-edit-problem').textContent).toContain('You cannot take the Administrator role from your own account');
    expect((within(rowOf('admin')).getByTestId('officer-edit-save') as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(rowOf('admin')).getByTestId('officer-edit-cancel'));

    await user.click(within(rowOf('reg')).getByTestId('officer-edit'));
    const name = within(rowOf('reg')).getByTestId('officer-edit-display-name');
    expect(document.activeElement).toBe(name);
    await user.clear(name);
    await user.type(name, 'Reginald');
    await user.click(within(rowOf('reg')).getByTestId('officer-edit-role-approver'));
    await user.click(within(rowOf('reg')).getByTestId('officer-edit-save'));
    await waitFor(() => expect(screen.getByTestId('officer-account-notice').textContent).toBe('Officer reg changed.'));
    expect(api.callsTo('officers.update')).toEqual([{ officerId: 'o-reg', displayName: 'Reginald', roles: ['registration', 'approver'] }]);
    expect(rowOf('reg').textContent).toContain('Registration officer, Approver');
  });

  it('reset password: confirmed, the one-time password shown once with focus on it, gone after "handed over"', async () => {
    const { api } = station();
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(2));
    const user = userEvent.setup();
    await user.click(within(rowOf('reg')).getByTestId('officer-reset-password'));
    expect(api.callsTo('officers.resetPassword')).toEqual([]);
    await user.click(within(rowOf('reg')).getByTestId('officer-reset-confirm'));
    expect((await screen.findByTestId('officer-new-password')).textContent).toBe('abcd-efgh-jkmn-pqrs-tuvw');
    expect(document.activeElement).toBe(screen.getByTestId('officer-new-password-panel'));
    await user.click(screen.getByTestId('officer-new-password-done'));
    expect(screen.queryByTestId('officer-new-password')).toBeNull();
    expect(document.body.textContent).not.toContain('abcd-efgh-jkmn-pqrs-tuvw');
    expect(screen.getByTestId('officer-account-notice').textContent).toBe('The password of reg was reset.');
  });

  it('a refusal of the core is shown in its words', async () => {
    const { core } = station();
    core[1]!.displayName = 'Refused';
    await waitFor(() => expect(screen.getAllByTestId('officer-row')).toHaveLength(2));
    await userEvent.setup().click(within(rowOf('reg')).getByTestId('officer-disable'));
    expect((await screen.findByTestId('officer-account-error')).textContent).toBe('The core said no.');
  });

  it('the role table shows each role with what the contract lets it do; "Add the officer" says why it is disabled', async () => {
    station();
    const rows = await screen.findAllByTestId('role-row');
    expect(rows.map((r) => r.getAttribute('data-role'))).toEqual(['registration', 'approver', 'production', 'security', 'auditor', 'admin']);
    const approver = rows.find((r) => r.getAttribute('data-role') === 'approver')!;
    expect(within(approver).getByTestId('role-may').textContent).toBe(roleAbilities('approver').may.join('; '));
    expect(within(approver).getByTestId('role-limits').textContent).toContain('another approver must approve it');
    expect((screen.getByTestId('officer-save') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('officer-save').getAttribute('aria-describedby')).toBe('officer-save-reason');
    expect(screen.getByTestId('officer-save-reason').textContent).toContain('Choose at least one role');
    await userEvent.setup().click(screen.getByTestId('officer-role-auditor'));
    expect(screen.queryByTestId('officer-save-reason')).toBeNull();
  });
});

describe('StepList', () => {
  it('a step proven done without running says "not needed"; a step that ran says "done"', () => {
    const step = (name: string, attempts: number) => ({ name, label: name, status: 'done' as const, attempts, startedAt: null, finishedAt: null });
    render(<StepList steps={[step('takeover', 0), step('generate.9A', 1)]} />);
    const [takeover, generate] = screen.getAllByTestId('step-row');
    expect(takeover!.textContent).toContain('not needed');
    expect(takeover!.getAttribute('data-not-needed')).toBe('true');
    expect(generate!.textContent).toContain('done');
    expect(generate!.textContent).not.toContain('not needed');
  });
});
