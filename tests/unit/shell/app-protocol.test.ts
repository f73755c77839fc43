import { describe, expect, it } from 'vitest';
import { join, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY, resolveAppPath, responseHeaders } from '../../../electron/shell/app-protocol.js';

const root = '/opt/piv-station/resources/app.asar/renderer/dist';

describe('resolveAppPath', () => {
  it('maps app://station paths under the renderer build, / to index.html', () => {
    expect(resolveAppPath(root, 'app://station/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://station/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://station/assets/index-abc.js?v=1#x')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppPath(root, 'app://station/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'));
  });

  it.each(['app://station/../../../etc/passwd', 'app://station/%2e%2e/%2e%2e/etc/passwd', 'app://station/assets/../../x'])(
    'keeps %s inside the renderer build (the URL parser clamps dot segments at the root)',
    (url) => {
      const file = resolveAppPath(root, url);
      expect(file === undefined || file.startsWith(root + sep)).toBe(true);
      expect(file).not.toBe('/etc/passwd');
    },
  );

  it.each([
    'app://station/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://station/..%5c..%5cwindows%5cwin.ini',
    'app://station/a%00.html',
    'app://station/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://station/index.html',
  ])('refuses %s', (url) => {
    expect(resolveAppPath(root, url)).toBeUndefined();
  });
});

describe('responseHeaders', () => {
  it('sets the MIME type, the CSP and nosniff', () => {
    const h = responseHeaders(join(root, 'index.html'));
    expect(h['Content-Type']).toBe('text/html; charset=utf-8');
    expect(h['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(responseHeaders('x.js')['Content-Type']).toMatch(/^text\/javascript/);
    expect(responseHeaders('x.bin')['Content-Type']).toBe('application/octet-stream');
  });

  it('the CSP allows only the app itself: no inline script, no remote connections, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("base-uri 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("form-action 'none'");
  });
});
