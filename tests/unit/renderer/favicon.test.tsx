/**
 * Issue 12, observation 10: the page names its icon and the icon is shipped
 * (Vite copies renderer/public into the build), so no load asks for a
 * favicon.ico that answers 404.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = join(__dirname, '..', '..', '..', 'renderer');

describe('favicon', () => {
  it('index.html links an SVG icon that exists in the renderer public folder', () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
    const href = /<link rel="icon" type="image\/svg\+xml" href="\.\/([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('favicon.svg');
    expect(existsSync(join(RENDERER, 'public', href!))).toBe(true);
    expect(readFileSync(join(RENDERER, 'public', href!), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
});
