/**
 * `station audit …` (issues 5 and 10), for officers with the auditor role:
 *   audit verify [--sign] [--anchor FILE]
 *                            recompute the hash chain, check the signed heads and audit keys, and the
 *                            log against the anchor FILE (else the configured one; "unanchored" without);
 *                            exit 1 with the first broken link, 0 with the count and the last signed head
 *   audit rotate-key         (administrator) a new audit key, audited; the old key signs the rotation
 *   audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]
 *                            the log (or the matching part) on stdout or into FILE
 * DATE is YYYY-MM-DD (a whole day, UTC) or an ISO-8601 date-time; --from and --to are inclusive.
 */
import { readFileSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { auditVerificationLines } from '../../contract/audit-report.js';
import type { ChannelInput } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

const USAGE =
  'Usage: station audit verify [--sign] [--anchor FILE] | station audit rotate-key | station audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]';

/** The option each audit field comes from. */
const AUDIT_OPTIONS = { anchor: '--anchor', format: '--format', from: '--from', to: '--to', officer: '--officer', personId: '--person', cardId: '--card', sign: '--sign' } as const;

/** Only the options given (parseArgs leaves the others undefined). */
function given<T>(entries: Record<string, string | boolean | undefined>): T {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as T;
}

/** The text of an anchor file given with --anchor. @throws StationError INVALID_INPUT when it cannot be read */
function readAnchorFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new StationError('INVALID_INPUT', `The anchor file ${file} cannot be read.`, { option: 'anchor' });
  }
}

/** Runs `station audit VERB`; returns the exit code (1 when the log is broken). */
export async function auditCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  switch (verb) {
    case 'verify': {
      const anchor = typeof flags.anchor === 'string' ? readAnchorFile(flags.anchor) : undefined;
      const result = await ctx.call('audit.verify', given<ChannelInput<'audit.verify'>>({ sign: flags.sign, anchor }), AUDIT_OPTIONS);
      // The same sentences as the Audit screen's "Verify chain".
      ctx.result(result, () => auditVerificationLines(result).forEach((line) => process.stdout.write(`${line}\n`)));
      return result.ok ? 0 : 1;
    }
    case 'export': {
      const input = given<ChannelInput<'audit.export'>>({ format: flags.format, from: flags.from, to: flags.to, officer: flags.officer, personId: flags.person, cardId: flags.card });
      const out = await ctx.call('audit.export', input, AUDIT_OPTIONS);
      const file = typeof flags.out === 'string' && flags.out.length > 0 ? flags.out : undefined;
      if (file) {
        writeFileAtomic(file, out.content);
        ctx.result({ file, format: out.format, count: out.count }, () => process.stdout.write(`${out.count} audit events exported to ${file}.\n`));
      } else {
        process.stdout.write(out.content);
      }
      return 0;
    }
    case 'rotate-key': {
      const r = await ctx.call('audit.rotateKey', {});
      ctx.result(r, () => process.stdout.write(`Audit key #${r.keyId} (SHA-256 ${r.fingerprint}) replaces ${r.previousKeyId === null ? 'a missing key' : `key #${r.previousKeyId}`}; rotation recorded at seq ${r.seq}.\n`));
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', USAGE);
  }
}
