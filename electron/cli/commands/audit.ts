/**
 * `station audit …` (issue 5 "Audit"), for officers with the auditor role:
 *   audit verify [--sign]    recompute the hash chain and check the signed heads; exit 1 with the
 *                            first broken link, 0 with the count and the last signed head
 *   audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]
 *                            the log (or the matching part) on stdout or into FILE
 * DATE is YYYY-MM-DD (a whole day, UTC) or an ISO-8601 date-time; --from and --to are inclusive.
 */
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';
import { checkOutputPath, writeOutputFile } from '../files.js';
import { channels } from '../../contract/station-api.js';
import { AuditService } from '../../core/audit/service.js';
import { auditVerificationLines } from '../../contract/audit-report.js';

type Flags = Record<string, string | boolean | undefined>;

const USAGE =
  'Usage: station audit verify [--sign] | station audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]';

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

/** Runs `station audit VERB`; returns the exit code (1 when the log is broken). */
export async function auditCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  switch (verb) {
    case 'verify': {
      const input = parseInput(channels['audit.verify'].input, given({ sign: flags.sign }));
      const station = await ctx.station();
      await ctx.authorize('audit.verify');
      const result = new AuditService({ store: station.store, signer: station.auditSigner }).verify({ sign: input.sign });
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
      const out = new AuditService({ store: station.store, signer: station.auditSigner }).export(filter, format, officer.username);
      if (file) {
        writeOutputFile(file, out.content, 'audit export');
        ctx.result({ file, format: out.format, count: out.count }, () => process.stdout.write(`${out.count} audit events exported to ${file}.\n`));
      } else {
        process.stdout.write(out.content);
      }
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', USAGE);
  }
}
