/**
 * The station configuration of an e2e data dir, written before the host
 * starts. The issue-2 specs produce cards directly (Issue card), which the
 * core refuses for profiles that need approval: those specs name the
 * profiles they produce so the station lets them through without a request.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, parseStationConfig } from '../../electron/core/config/station-config.js';

export type ProfileId = 'employee' | 'contractor' | 'visitor';

/**
 * Sets `approvalRequired: false` on `profiles` in `dataDir/config.json`
 * (created from the defaults when the data dir is new; other settings kept).
 * @throws StationError INVALID_INPUT when the existing config.json is invalid
 */
export function allowDirectProduction(dataDir: string, profiles: ProfileId[]): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'config.json');
  const config = existsSync(path) ? parseStationConfig(JSON.parse(readFileSync(path, 'utf8'))) : DEFAULT_CONFIG;
  const next = { ...config, profiles: config.profiles.map((p) => (profiles.includes(p.id as ProfileId) ? { ...p, approvalRequired: false } : p)) };
  writeFileSync(path, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
}
