/**
 * The station configuration of an e2e data dir, written before the host
 * starts. The issue-2 specs produce cards directly (Issue card), which the
 * core refuses for profiles that need approval: those specs name the
 * profiles they produce so the station lets them through without a request.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, parseStationConfig, type StationConfig } from '../../electron/core/config/station-config.js';

export type ProfileId = 'employee' | 'contractor' | 'visitor';

/**
 * Rewrites `dataDir/config.json` through `change` (starting from the defaults
 * when the data dir is new; every setting `change` leaves alone is kept).
 * @throws StationError INVALID_INPUT when the existing config.json or the result is invalid
 */
export function patchConfig(dataDir: string, change: (config: StationConfig) => StationConfig): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'config.json');
  const config = existsSync(path) ? parseStationConfig(JSON.parse(readFileSync(path, 'utf8'))) : DEFAULT_CONFIG;
  const next = parseStationConfig(change(config));
  writeFileSync(path, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
}

/**
 * Sets `approvalRequired: false` on `profiles` and lets the officer who
 * requests a card produce it (`separationOfDuties.producerDiffersFromRequester`
 * off), so one officer may issue those cards directly (Issue card).
 */
export function allowDirectProduction(dataDir: string, profiles: ProfileId[]): void {
  patchConfig(dataDir, (c) => ({
    ...c,
    separationOfDuties: { producerDiffersFromRequester: false },
    profiles: c.profiles.map((p) => (profiles.includes(p.id as ProfileId) ? { ...p, approvalRequired: false } : p)),
  }));
}

/** Sets the inactivity before a session locks, in minutes (the config's smallest value is 1). */
export function setSessionLockMinutes(dataDir: string, minutes: number): void {
  patchConfig(dataDir, (c) => ({ ...c, sessionLockMinutes: minutes }));
}
