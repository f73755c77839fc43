/**
 * What the renderer may ask the browser for (issue 11): the camera, for the
 * photo capture screen, from the station's own app:// origin only; no
 * microphone, and nothing else (notifications, geolocation, …). Pure, for tests.
 */
import { isTrustedSender } from './ipc-guard.js';

/** A permission request as Electron describes it (session.setPermissionRequestHandler). */
export interface PermissionAsk {
  /** Electron's permission name ('media', 'notifications', …). */
  permission: string;
  /** The URL of the frame asking (requestingUrl) or its origin (permission checks). */
  url: string;
  /** For 'media': which devices ('video', 'audio'); absent when Electron does not say. */
  mediaTypes?: string[];
}

/**
 * True only for the camera, asked by the station's own renderer: permission 'media', every media
 * type 'video' (an ask that includes or may include the microphone is refused), from app://station.
 */
export function isAllowedPermission(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media') return false;
  if (!isTrustedSender(ask.url)) return false;
  const types = ask.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}
