/**
 * The words of an audit chain verification (issue 5: `station audit verify`
 * "checks the chain and reports the first broken link"), shared by the CLI
 * and the Audit screen so both report a result in exactly the same sentences.
 * Pure: no runtime-specific import.
 */
import type { AuditVerificationView } from './station-api.js';

function headLine(v: AuditVerificationView): string {
  const h = v.lastSignedHead;
  return h ? `last signed head: seq ${h.seq} at ${h.at} (hash ${h.hash})` : 'no signed head yet';
}

/** Whether the log was checked against the signed heads published outside the data dir. */
function anchorLine(v: AuditVerificationView): string {
  const a = v.anchor;
  if (a.status === 'checked') return `Anchored: checked against ${a.source} (chain head seq ${a.seq} published at ${a.at}).`;
  if (a.status === 'unavailable') return `Anchor ${a.source} could not be read.`;
  return 'Unanchored: no copy of the signed chain heads outside the data dir is configured (config.json auditAnchor), so a rebuild of the whole data dir would not show.';
}

/**
 * The report lines of a verification: intact (event count, chain head, last
 * signed head, and the head just signed when asked) or the first broken link
 * (its seq, the problem, the verifier's sentence) and what is stored; then
 * whether it was checked against the anchor, or is unanchored.
 * @returns two or three lines, without line breaks
 */
export function auditVerificationLines(v: AuditVerificationView): string[] {
  if (v.ok) {
    const head = v.head ? `, head seq ${v.head.seq} (hash ${v.head.hash})` : '';
    const lines = [`Audit log intact: ${v.events} events${head}; ${headLine(v)}.`];
    if (v.signed) lines.push(`Signed the chain head at seq ${v.signed.seq}.`);
    lines.push(anchorLine(v));
    return lines;
  }
  const b = v.firstBroken!;
  return [`Audit log BROKEN at seq ${b.seq} (${b.problem}): ${b.message}`, `${v.events} events stored; ${headLine(v)}.`, anchorLine(v)];
}
