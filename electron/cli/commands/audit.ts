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
import { checkOutputPath, writeOutputFile } from '../files.js';
import { channels } from '../../contract/station-api.js';
import { AuditService } from '../../core/audit/service.js';
import { auditVerificationLines } from '../../contract/audit-report.js';

type Flags = Record<string, string | boolean | undefined>;

const USAGE =
  'Usage: station audit verify [--sign] [--anchor FILE] | station audit rotate-key | station audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]';

/** Parses with the StationApi's own schema, so the CLI accepts exactly what the core does. */
function parseInput<S extends (typeof channels)['audit.export' | 'audit.verify']['input']>(schema: S, raw: Record<string, unknown>): ReturnType<S['parse']> {
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const option = String(issue?.path[0] ?? 'input');
    throw new StationError('INVALID_INPUT', `Invalid --${option}: ${issue?.message ?? 'bad value'}. ${USAGE}`, { option });
  }
  return r.data as ReturnType<S['parse']>;
}

/** Only the options given (parseArgs leaves the others undefined). */
function given(entries: Record<string, string | boolean | undefined>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

/** The audit service of the open station, with its configured anchor. */
function auditService(station: Awaited<ReturnType<CliContext['station']>>): AuditService {
  return new AuditService({ store: station.store, signer: station.auditSigner, anchorFile: station.config.auditAnchor?.file });
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
      const input = parseInput(channels['audit.verify'].input, given({ sign: flags.sign, anchor }));
      const station = await ctx.station();
      await ctx.authorize('audit.verify');
      const result = auditService(station).verify({ sign: input.sign, anchor: input.anchor });
      // The same sentences as the Audit screen's "Verify chain".
      ctx.result(result, () => auditVerificationLines(result).forEach((line) => process.stdout.write(`${line}\n`)));
      return result.ok ? 0 : 1;
    }
    case 'export': {
      const { format, ...filter } = parseInput(
        channels['audit.export'].input,
        given({ format: flags.format, from: flags.from, to: flags.to, officer: flags.officer, personId: flags.person, cardId: flags.card }),
      );
      const file = typeof flags.out === 'string' && flags.out.length > 0 ? flags.out : undefined;
      if (file) checkOutputPath(file, 'audit export');
      const station = await ctx.station();
      const { officer } = await ctx.authorize('audit.export');
      const out = auditService(station).export(filter, format, officer.username);
      if (file) {
        writeOutputFile(file, out.content, 'audit export');
        ctx.result({ file, format: out.format, count: out.count }, () => process.stdout.write(`${out.count} audit events exported to ${file}.\n`));
      } else {
        process.stdout.write(out.content);
      }
      return 0;
    }
    case 'rotate-key': {
      const station = await ctx.station();
      const { officer } = await ctx.authorize('audit.rotateKey');
      const r = auditService(station).rotateKey(officer.username);
      ctx.result(r, () => process.stdout.write(`Audit key #${r.keyId} (SHA-256 ${r.fingerprint}) replaces ${r.previousKeyId === null ? 'a missing key' : `key #${r.previousKeyId}`}; rotation recorded at seq ${r.seq}.\n`));
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', USAGE);
  }
}
