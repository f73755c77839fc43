/**
 * `station officer edit|disable|enable|reset-password USERNAME` (issue 12, observation 9) through
 * the core's dispatch of a training station: each command changes the account through the
 * officers.* channel the Officers screen uses, the core's account rules answer as the command's
 * error, and the reset password is the one the officer logs in with.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { officerCommand } from '../../../../electron/cli/commands/officers.js';
import { USAGE } from '../../../../electron/cli/usage.js';
import type { OfficerView } from '../../../../electron/contract/station-api.js';
import { openTrainingStation, TEST_OFFICER, type TrainingStation } from '../../../support/training-station.js';
import { contextOf } from './cli-context.js';

const CLERK_PASSWORD = 'clerk password at the desk';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('station officer edit|disable|enable|reset-password', () => {
  test('an administrator edits, disables, re-enables and resets an officer named by username', async () => {
    t = await openTrainingStation();
    const admin = await t.login();
    await t.station.officers.add({ username: 'clerk', displayName: 'Clerk', password: CLERK_PASSWORD, roles: ['registration'] }, { kind: 'officer', officer: admin, sessionId: 'setup' });
    const core = t.station.core();
    const loginAsClerk = (password: string) => core.dispatch('auth.login', { username: 'clerk', password }, 'clerk-desk');
    const { ctx, results } = contextOf(t);
    const last = () => results.at(-1) as OfficerView;

    expect(await officerCommand(ctx, 'edit', { 'display-name': 'Clerk Two', roles: 'registration,approver' }, ['clerk'])).toBe(0);
    expect(last()).toMatchObject({ username: 'clerk', displayName: 'Clerk Two', roles: ['registration', 'approver'] });
    expect(t.station.store.officers.getByUsername('clerk')).toMatchObject({ displayName: 'Clerk Two', roles: ['registration', 'approver'] });

    expect(await loginAsClerk(CLERK_PASSWORD)).toMatchObject({ ok: true });
    expect(await officerCommand(ctx, 'disable', {}, ['clerk'])).toBe(0);
    expect(last().status).toBe('disabled');
    expect(await loginAsClerk(CLERK_PASSWORD)).toMatchObject({ ok: false });
    expect(await officerCommand(ctx, 'enable', {}, ['clerk'])).toBe(0);
    expect(last().status).toBe('active');

    expect(await officerCommand(ctx, 'reset-password', {}, ['clerk'])).toBe(0);
    const { password } = results.at(-1) as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(await loginAsClerk(CLERK_PASSWORD)).toMatchObject({ ok: false });
    expect(await loginAsClerk(password)).toMatchObject({ ok: true });
  });

  test('the core’s account rules, an unknown officer and a missing username come back as the command’s error', async () => {
    t = await openTrainingStation();
    await t.login();
    const { ctx } = contextOf(t);
    // The only administrator may neither disable nor demote themselves (officer-rules.ts accountChangeProblem).
    await expect(officerCommand(ctx, 'disable', {}, [TEST_OFFICER.username])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(officerCommand(ctx, 'edit', { roles: 'registration' }, [TEST_OFFICER.username])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(t.station.store.officers.getByUsername(TEST_OFFICER.username)).toMatchObject({ status: 'active', roles: expect.arrayContaining(['admin']) });
    await expect(officerCommand(ctx, 'enable', {}, ['nobody'])).rejects.toMatchObject({ code: 'NOT_FOUND_RECORD', message: 'There is no officer nobody.' });
    await expect(officerCommand(ctx, 'reset-password', {}, [])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Usage: station officer reset-password USERNAME' });
    await expect(officerCommand(ctx, 'edit', {}, [TEST_OFFICER.username])).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Give --display-name or --roles (or both) to change.' });
  });

  test('the help names every officer command', () => {
    for (const line of ['officer edit USERNAME', 'officer disable USERNAME', 'officer enable USERNAME', 'officer reset-password USERNAME']) expect(USAGE).toContain(line);
  });
});
