/**
 * `station profile list|show|set`: options turned into a patch (unit), and
 * the real CLI process (through tsx, no reader needed): an administrator
 * changes a profile, the change is audited and shown; an officer without the
 * admin role exits non-zero with the reason and changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { profilePatchFromFlags } from '../../../../electron/cli/commands/profiles.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { CardProfileSchema } from '../../../../electron/contract/card-profile.js';
import { station, stationJson, stopLiveCliProcesses } from '../../../support/station-cli.js';

const EMPLOYEE = CardProfileSchema.parse(DEFAULT_CONFIG.profiles[0]);

describe('profilePatchFromFlags', () => {
  test('only the options given; algorithms and PIN policy completed from the current profile', () => {
    expect(
      profilePatchFromFlags(
        { approval: 'none', 'card-validity': '72', 'cert-validity': '24', 'alg-9a': 'rsa2048', slots: '9a,9e,9c', objects: 'printed,key-history', 'pin-length': '8', 'pin-source': 'generated' },
        EMPLOYEE,
      ),
    ).toEqual({
      approvalRequired: false,
      cardValidityMonths: 72,
      certificateValidityMonths: 24,
      algorithms: { '9A': 'RSA2048', '9C': 'P256', '9D': 'P256', '9E': 'P256' },
      slots: ['9A', '9E', '9C'],
      objects: ['printed', 'key-history'],
      pinPolicy: { minLength: 8, maxLength: 8, source: 'generated' },
    });
    expect(profilePatchFromFlags({ 'pin-source': 'chosen' }, EMPLOYEE)).toEqual({ pinPolicy: { minLength: 6, maxLength: 8, source: 'chosen' } });
    expect(profilePatchFromFlags({ objects: '' }, EMPLOYEE)).toEqual({ objects: [] });
    expect(profilePatchFromFlags({}, EMPLOYEE)).toEqual({});
  });

  test('malformed options are refused naming the option', () => {
    expect(() => profilePatchFromFlags({ approval: 'maybe' }, EMPLOYEE)).toThrow(/--approval/);
    expect(() => profilePatchFromFlags({ 'card-validity': 'six' }, EMPLOYEE)).toThrow(/--card-validity/);
    expect(() => profilePatchFromFlags({ slots: '9A,9X' }, EMPLOYEE)).toThrow(/--slots/);
    expect(() => profilePatchFromFlags({ objects: 'chuid' }, EMPLOYEE)).toThrow(/--objects/);
    expect(() => profilePatchFromFlags({ 'pin-length': '6 to 8' }, EMPLOYEE)).toThrow(/--pin-length/);
    expect(() => profilePatchFromFlags({ 'pin-source': 'typed' }, EMPLOYEE)).toThrow(/--pin-source/);
  });
});

describe('station profile (CLI process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-cli-'));
  afterAll(async () => {
    await stopLiveCliProcesses();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an administrator sets a profile; list/show show it; a non-admin is refused and nothing changes', async () => {
    const set = await stationJson<{ version: number; changes: { field: string }[]; profile: { slots: string[]; pinPolicy: unknown } }>(dir, [
      'profile', 'set', 'visitor', '--slots', '9A,9E', '--objects', 'key-history', '--pin-length', '6-6', '--pin-source', 'generated', '--card-validity', '3', '--cert-validity', '3',
    ]);
    expect(set.version).toBe(2);
    expect(set.profile.slots).toEqual(['9A', '9E']);
    expect(set.profile.pinPolicy).toEqual({ minLength: 6, maxLength: 6, source: 'generated' });
    expect(set.changes.map((c) => c.field)).toEqual(['cardValidityMonths', 'certificateValidityMonths', 'slots', 'objects', 'pinPolicy.maxLength', 'pinPolicy.source']);

    const shown = await station(dir, ['profile', 'show', 'visitor']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/visitor \(Visitor\), version 2/);
    expect(shown.stdout).toMatch(/slots\s+9A P256, 9E P256/);
    expect(shown.stdout).toMatch(/PIN\s+6 digits, generated/);

    // A rule broken: exit 2 (bad input) with the field named.
    const bad = await station(dir, ['profile', 'set', 'employee', '--cert-validity', '72', '--card-validity', '60']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Certificate validity: the certificates must not outlive the card/);

    // An officer without the admin role.
    const added = await station(dir, ['officer', 'add', '--username', 'registrar', '--roles', 'registration'], { env: { STATION_NEW_PASSWORD: 'registrar password long' } });
    expect(added.code, added.stderr).toBe(0);
    const registrar = { username: 'registrar', password: 'registrar password long' };
    const refused = await station(dir, ['profile', 'set', 'visitor', '--approval', 'required'], { as: registrar });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/This needs the .* role\. \[FORBIDDEN\]/);
    // Reading is open to every officer; the profile is as the administrator left it.
    const list = await stationJson<{ profile: { id: string; approvalRequired: boolean }; version: number }[]>(dir, ['profile', 'list'], 0, { as: registrar });
    expect(list.find((e) => e.profile.id === 'visitor')).toMatchObject({ version: 2, profile: { approvalRequired: false } });
  }, 120_000);
});
