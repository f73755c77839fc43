/** The browser host's Content-Security-Policy (issue 13 "Hardening: CSP"). */
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../electron/host/security-headers.js';

describe('browser host CSP', () => {
  const csp = contentSecurityPolicy(8123).split('; ');
  it('forbids <base> and form posting, framing and plugins', () => {
    expect(csp).toEqual(expect.arrayContaining(["base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'"]));
  });
  it('lets the page connect only to its own bridge', () => {
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8123");
    expect(csp).toContain("script-src 'self'");
  });
});
