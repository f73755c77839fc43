/**
 * The browser host's WebSocket wire protocol (JSON text frames on `/bridge`),
 * shared by the server (Node) and the bridge client (browser). Type-only
 * imports from the contract, no runtime dependency: the renderer bundles this.
 *
 *   client → server  `{ "id": number, "channel": string, "input": unknown }`
 *   server → client  `{ "id": number, "result": Result }`
 *   server → client  `{ "event": EventName, "payload": … }` (the core events this connection may hear: none before a login)
 */
import type { ApiError, EventName, Result } from '../contract/station-api.js';

/** Path of the WebSocket endpoint. */
export const BRIDGE_PATH = '/bridge';

/** Name of the URL query parameter carrying the per-launch token. */
export const TOKEN_QUERY_PARAM = 'token';

/** Largest frame the host accepts, in bytes (1 MiB); larger frames close the socket. */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Largest request id accepted: ids must survive a JSON round trip exactly. */
export const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;

/** A call from the client. */
export interface BridgeRequest {
  id: number;
  channel: string;
  input: unknown;
}

/** The answer to one call, matched by `id`. */
export interface BridgeResponse {
  id: number;
  result: Result<unknown>;
}

/** A core event pushed to a connected client. */
export interface BridgeEventMessage {
  event: EventName;
  payload: unknown;
}

/** True when `id` is usable as a request id (a non-negative safe integer). */
export function isRequestId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 && id <= MAX_REQUEST_ID;
}

/** A failed Result with no details (transport and framing errors). */
export function errorResult(code: ApiError['code'], message: string, retryable = false): Result<never> {
  return { ok: false, error: { code, message, details: {}, retryable } };
}
