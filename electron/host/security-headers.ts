/**
 * Headers every browser-host response carries: a Content-Security-Policy that
 * allows only this host's own scripts and its own bridge socket, no framing,
 * no plugins, and no MIME sniffing or referrers.
 */
import type { ServerResponse } from 'node:http';
import { LOOPBACK_ADDRESS } from './bridge-auth.js';

/**
 * The CSP for a host on `port`. `style-src 'unsafe-inline'` is kept for React
 * style attributes; scripts stay strictly same-origin.
 */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://${LOOPBACK_ADDRESS}:${port}`,
    "object-src 'none'",
    // No <base> to redirect relative URLs, no form posting anywhere (the UI submits through the bridge only).
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sets the security headers on a response before anything is written. */
export function applySecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}
