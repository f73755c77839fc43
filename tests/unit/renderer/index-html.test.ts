/** The CSP the renderer page carries itself (a <meta>, for every way it is served: Vite, the host, app://). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('renderer/index.html', () => {
  it("has a CSP meta with base-uri 'none' and form-action 'none' and no inline script", () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = csp.split(';').map((d) => d.trim());
    expect(directives).toEqual(expect.arrayContaining(["base-uri 'none'", "form-action 'none'", "script-src 'self'", "object-src 'none'"]));
  });
});
