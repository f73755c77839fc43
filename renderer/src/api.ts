/**
 * The renderer's only access to the station. In Electron the preload exposes
 * `window.station`; in a browser served by the station host the bridge client
 * opens the host's /bridge WebSocket with the page's one-time token. Both have
 * the contract's StationBridge shape (electron/contract/station-api.ts).
 *
 * `StationApi` unwraps the `{ ok, value } | { ok: false, error }` envelope and
 * throws an ApiError for failures, so stores read like plain async code.
 */
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, StationBridge } from '../../electron/contract/station-api';
import { bridgeUrlFromLocation, createBridgeClient } from '../../electron/bridge/client';
import { BRIDGE_PATH } from '../../electron/bridge/protocol';
import { ApiError, BRIDGE_FAILED } from './api-error';

export { ApiError, errorSentence } from './api-error';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    station?: StationBridge;
  }
}

/** The typed door the stores use. */
export interface StationApi {
  /**
   * Calls a channel.
   * @returns the channel's output value.
   * @throws ApiError with the core's code and sentence when the Result is not ok.
   */
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  /** Listens to a station event; returns the unsubscribe function. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Wraps a StationBridge: unwraps Results, turns failures (and a broken link) into ApiError. */
export function createStationApi(bridge: StationBridge): StationApi {
  return {
    async call(channel, input) {
      let result;
      try {
        result = await bridge.invoke(channel, input);
      } catch {
        // The link itself failed (socket closed, preload gone): no Result to unwrap.
        throw new ApiError({ code: BRIDGE_FAILED, message: 'The station is not answering. Reload the window; if it persists, restart the station.', retryable: true });
      }
      if (result.ok) return result.value;
      throw new ApiError(result.error);
    },
    subscribe(event, listener) {
      return bridge.subscribe(event, listener);
    },
  };
}

/**
 * The WebSocket URL of the browser host's bridge: same host and port as the
 * page, token from `?token=` (electron/bridge/client.ts); a page without a
 * token gets the bare path, which the host refuses.
 */
export function bridgeUrl(loc: Pick<Location, 'host' | 'search'>): string {
  return bridgeUrlFromLocation(loc) ?? `ws://${loc.host}${BRIDGE_PATH}`;
}

/** `window.station` under Electron, else the browser host's WebSocket bridge client. */
export function getBridge(): StationBridge {
  if (window.station) return window.station;
  return createBridgeClient(bridgeUrl(window.location));
}
