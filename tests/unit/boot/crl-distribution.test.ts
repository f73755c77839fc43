/**
 * The CRL distribution point a running station (host, shell) serves at config
 * crlUrl: the CA's current CRL per request, only for a URL naming this
 * machine, and a taken port is logged instead of stopping the station.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCrlDistribution } from '../../../electron/boot/crl-distribution.js';
import type { RunningCrlServer } from '../../../electron/servers/crl-server.js';
import type { Station } from '../../../electron/boot/open-station.js';

const running: RunningCrlServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A station whose CA has published `der` (changed by the test between requests). */
function stationWith(crlUrl: string, crl: { der: Uint8Array }) {
  return { config: { crlUrl }, lifecycle: { crl: async () => ({ der: crl.der }) } } as unknown as Pick<Station, 'config' | 'lifecycle'>;
}

describe('startCrlDistribution', () => {
  it('serves the CA’s current CRL at the crlUrl path, read per request', async () => {
    const crl = { der: Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]) };
    const log: string[] = [];
    const server = await startCrlDistribution(stationWith('http://127.0.0.1:0/crl/issuing.crl', crl), (l) => log.push(l));
    expect(server).toBeDefined();
    running.push(server!);
    const first = await fetch(server!.url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pkix-crl');
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(crl.der);
    crl.der = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x02]); // a revocation re-published the CRL
    expect(new Uint8Array(await (await fetch(server!.url)).arrayBuffer())).toEqual(crl.der);
    expect((await fetch(server!.url.replace('/crl/issuing.crl', '/other'))).status).toBe(404);
    expect(log).toEqual([]);
  });

  it('logs and serves nothing when the port is taken by another station process', async () => {
    const crl = { der: Uint8Array.from([0x30, 0x00]) };
    const first = await startCrlDistribution(stationWith('http://127.0.0.1:0/crl/issuing.crl', crl), () => undefined);
    running.push(first!);
    const log: string[] = [];
    const second = await startCrlDistribution(stationWith(`http://127.0.0.1:${first!.port}/crl/issuing.crl`, crl), (l) => log.push(l));
    expect(second).toBeUndefined();
    expect(log).toEqual([`the CRL is not served by this process: port ${first!.port} is taken (another station process may serve it).`]);
  });

  it('does not serve a crlUrl naming another host, nor a non-http one', async () => {
    const crl = { der: Uint8Array.from([0x30, 0x00]) };
    const log: string[] = [];
    expect(await startCrlDistribution(stationWith('http://crl.example.gov/piv.crl', crl), (l) => log.push(l))).toBeUndefined();
    expect(await startCrlDistribution(stationWith('ldap://127.0.0.1/cn=crl', crl), (l) => log.push(l))).toBeUndefined();
    expect(log[0]).toContain('names another host');
    expect(log[1]).toContain('http://');
  });
});
