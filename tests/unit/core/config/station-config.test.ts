/** Station configuration: issue-4 fields default when a config file written by an older station lacks them. */
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseStationConfig } from '../../../../electron/core/config/station-config.js';

describe('station config (issue 4 fields)', () => {
  test('a config without approvalRequired, sessionLockMinutes and cardNumberStart loads with the defaults', () => {
    const old = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Record<string, unknown> & { profiles: Record<string, unknown>[] };
    delete old.sessionLockMinutes;
    delete old.cardNumberStart;
    for (const p of old.profiles) delete p.approvalRequired;
    const parsed = parseStationConfig(old);
    expect(parsed.sessionLockMinutes).toBe(15);
    expect(parsed.cardNumberStart).toBe(1);
    expect(Object.fromEntries(parsed.profiles.map((p) => [p.id, p.approvalRequired]))).toEqual({ employee: true, contractor: true, visitor: false });
  });

  test('explicit values are kept and bad ones refused with the field named', () => {
    const parsed = parseStationConfig({ ...DEFAULT_CONFIG, sessionLockMinutes: 5, cardNumberStart: 42, profiles: DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: p.id === 'visitor' })) });
    expect(parsed.sessionLockMinutes).toBe(5);
    expect(parsed.cardNumberStart).toBe(42);
    expect(parsed.profiles.find((p) => p.id === 'employee')?.approvalRequired).toBe(false);
    expect(() => parseStationConfig({ ...DEFAULT_CONFIG, sessionLockMinutes: 0 })).toThrow(/sessionLockMinutes/);
    expect(() => parseStationConfig({ ...DEFAULT_CONFIG, cardNumberStart: 100_000_000 })).toThrow(/cardNumberStart/);
  });
});
