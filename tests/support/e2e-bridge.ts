/**
 * A second connection to the browser host's bridge from the test process (a
 * `ws` WebSocket sending the host's Origin, as a browser on the page does):
 * its own officer session, for proving that the core itself refuses what the
 * UI only hides or disables.
 */
import WebSocket from 'ws';
import { createBridgeClient, type BridgeSocketConstructor } from '../../electron/bridge/client.js';
import type { StationBridge } from '../../electron/contract/station-api.js';

/** The bridge URL (`ws://…/bridge?token=…`) and Origin for a page URL the host printed. */
function bridgeOf(pageUrl: string): { url: string; origin: string } {
  const page = new URL(pageUrl);
  return { url: `ws://${page.host}/bridge${page.search}`, origin: page.origin };
}

/**
 * Opens a new bridge connection to the host serving `pageUrl`.
 * @returns the StationBridge and a close function
 */
export function openBridge(pageUrl: string): { bridge: StationBridge; close(): void } {
  const { url, origin } = bridgeOf(pageUrl);
  const sockets: WebSocket[] = [];
  const Impl = class extends WebSocket {
    constructor(u: string) {
      super(u, { origin });
      sockets.push(this);
    }
  } as unknown as BridgeSocketConstructor;
  return { bridge: createBridgeClient(url, Impl), close: () => sockets.forEach((s) => s.close()) };
}
