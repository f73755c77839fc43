import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseStationConfig } from '../../../../electron/core/config/station-config.js';

describe('notifications config', () => {
  it('is optional; with a URL every delivery setting gets its default', () => {
    expect(parseStationConfig(DEFAULT_CONFIG).notifications).toBeUndefined();
    const c = parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: 'https://idprs.example.gov/station-events' } });
    expect(c.notifications).toEqual({
      url: 'https://idprs.example.gov/station-events',
      maxAttempts: 12,
      baseDelayMs: 1_000,
      maxDelayMs: 300_000,
      jitter: 0.5,
      requestTimeoutMs: 10_000,
      concurrency: 4,
      pollIntervalMs: 2_000,
    });
  });

  it('refuses a URL that is not http(s) and out-of-range settings, naming the field', () => {
    expect(() => parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: 'ftp://idprs.example.gov/x' } })).toThrow(/notifications\.url/);
    expect(() => parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: 'https://idprs.example.gov', maxAttempts: 0 } })).toThrow(/notifications\.maxAttempts/);
    expect(() => parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: 'https://idprs.example.gov', jitter: 2 } })).toThrow(/notifications\.jitter/);
  });
});
