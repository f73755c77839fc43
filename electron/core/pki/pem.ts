/** PEM text of DER data (RFC 7468 §2: base64 in 64-character lines between the labelled lines). */

/**
 * DER → PEM.
 * @param label the RFC 7468 label, e.g. 'CERTIFICATE'
 */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
