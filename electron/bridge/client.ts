/**
 * The browser side of the host's bridge: a StationBridge (exactly `invoke` and
 * `subscribe`, the preload's shape) over the `/bridge` WebSocket. Runs in the
 * browser, bundled into the renderer: no Node imports, type-only contract
 * imports, only a WebSocket (the browser's, or one passed in for Node tests).
 *
 * Calls never throw: a closed or failed socket resolves every pending and
 * later call with `{ ok: false, error: { code: 'TRANSPORT', … } }`. There is no
 * reconnect: the officer reloads the page.
 */
import type { Channel, ChannelInput, ChannelOutput, EventName, EventPayload, Result, StationBridge } from '../contract/station-api.js';
import { BRIDGE_PATH, errorResult, isRequestId, TOKEN_QUERY_PARAM } from './protocol.js';

/** The sentence shown when the socket to the host is gone. */
export const CONNECTION_LOST = 'The connection to the station was lost.';

/** WebSocket readyState OPEN (same value in browsers and `ws`). */
const WS_OPEN = 1;

/** The subset of the WebSocket API the client uses (browser WebSocket and `ws` both fit). */
export interface BridgeSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A WebSocket constructor (`globalThis.WebSocket` in a browser, `ws`'s class in Node). */
export type BridgeSocketConstructor = new (url: string) => BridgeSocket;

/**
 * The bridge URL for a page served by the host: `ws://<host:port>/bridge?token=<token>`
 * from the page's location (`location.host`, `location.search`).
 * @returns undefined when the page URL carries no token
 */
export function bridgeUrlFromLocation(location: { host: string; search: string }): string | undefined {
  const token = new URLSearchParams(location.search).get(TOKEN_QUERY_PARAM);
  if (!token) return undefined;
  return `ws://${location.host}${BRIDGE_PATH}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`;
}

/**
 * Opens the bridge at `url` and returns the StationBridge over it.
 * Calls made before the socket opens are sent once it is open.
 * @param url `ws://127.0.0.1:PORT/bridge?token=…`
 * @param WebSocketImpl WebSocket class; default `globalThis.WebSocket` (Node 20 has none: pass `ws`)
 */
export function createBridgeClient(url: string, WebSocketImpl?: BridgeSocketConstructor): StationBridge {
  const Impl = WebSocketImpl ?? (globalThis as { WebSocket?: BridgeSocketConstructor }).WebSocket;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const queued: string[] = [];
  let nextId = 1;
  let closed = false;
  let socket: BridgeSocket | undefined;

  const lost = () => errorResult('TRANSPORT', CONNECTION_LOST, true);
  const shutDown = () => {
    if (closed) return;
    closed = true;
    queued.length = 0;
    for (const settle of pending.values()) settle(lost());
    pending.clear();
  };

  try {
    if (!Impl) throw new Error('no WebSocket');
    socket = new Impl(url);
    socket.onopen = () => {
      for (const text of queued.splice(0)) socket!.send(text);
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const m = msg as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
      if (isRequestId(m.id) && typeof m.result === 'object' && m.result !== null) {
        const settle = pending.get(m.id);
        pending.delete(m.id);
        settle?.(m.result as Result<unknown>);
      } else if (typeof m.event === 'string') {
        for (const l of [...(listeners.get(m.event) ?? [])]) {
          try {
            l(m.payload);
          } catch {
            // one faulty listener must not stop the others
          }
        }
      }
    };
    socket.onclose = shutDown;
    socket.onerror = shutDown;
  } catch {
    shutDown();
  }

  return {
    invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>> {
      if (closed || !socket) return Promise.resolve(lost());
      const id = nextId++;
      const text = JSON.stringify({ id, channel, input });
      return new Promise<Result<ChannelOutput<C>>>((resolveCall) => {
        pending.set(id, resolveCall as (r: Result<unknown>) => void);
        try {
          if (socket!.readyState === WS_OPEN) socket!.send(text);
          else queued.push(text);
        } catch {
          pending.delete(id);
          resolveCall(lost());
        }
      });
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => {
        set!.delete(l);
      };
    },
  };
}
