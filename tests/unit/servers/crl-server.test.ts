import { describe, expect, test } from 'vitest';
import { CRL_MEDIA_TYPE, crlListenAddress, startCrlServer } from '../../../electron/servers/crl-server.js';

describe('CRL distribution point', () => {
  test('serves the current CRL bytes at the path, read per request; other paths 404, other methods 405', async () => {
    let current = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01);
    const server = await startCrlServer({ source: async () => current });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/crl\/issuing\.crl$/);
      const first = await fetch(server.url);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe(CRL_MEDIA_TYPE);
      expect(new Uint8Array(await first.arrayBuffer())).toEqual(current);
      current = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x02);
      expect(new Uint8Array(await (await fetch(server.url)).arrayBuffer())).toEqual(current);
      expect((await fetch(server.url.replace('issuing.crl', 'other.crl'))).status).toBe(404);
      expect((await fetch(server.url, { method: 'POST', body: 'x' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });

  test('answers 503 when the CRL cannot be read', async () => {
    const server = await startCrlServer({ source: async () => Promise.reject(new Error('gone')) });
    try {
      expect((await fetch(server.url)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  test('listen address from the configured crlUrl; only http', () => {
    expect(crlListenAddress('http://127.0.0.1:8780/crl/issuing.crl')).toEqual({ port: 8780, path: '/crl/issuing.crl' });
    expect(() => crlListenAddress('https://example.test/x.crl')).toThrow(/http:\/\//);
  });
});
