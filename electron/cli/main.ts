#!/usr/bin/env node
/**
 * `station`: the PIV Station command line, over the same core as the officer UI.
 * Every command takes --data-dir DIR (default: the OS user-data dir) and --json.
 * Exit codes: 0 success, 1 the operation failed (message says why), 2 usage.
 */
import { parseArgs } from 'node:util';
import { StationError, toStationError } from '../core/errors.js';
import { createCliContext, defaultDataDir } from './context.js';
import { produceCommand, jobCommand } from './commands/production.js';
import { personCommand } from './commands/persons.js';
import { readersCommand } from './commands/readers.js';
import { verifyCommand } from './commands/verify.js';
import { virtualCardCommand } from './commands/virtual-card.js';
import { demoCommand } from './commands/demo.js';
import { caCommand } from './commands/ca.js';
import { officerCommand, ROLES_HELP } from './commands/officers.js';
import { requestCommand } from './commands/requests.js';
import { batchCommand } from './commands/batch.js';
import { cprCommand } from './commands/cpr.js';
import { outboxCommand } from './commands/outbox.js';
import { auditCommand } from './commands/audit.js';
import { cardCommand } from './commands/card.js';
import { crlCommand } from './commands/crl.js';
import { profileCommand, PROFILE_SET_OPTIONS } from './commands/profiles.js';
import { DEFAULT_PERSONALITY, PERSONALITY_NAMES } from '../../native/virtual-card/personality.js';

const USAGE = `Usage: station <command> [options]

  officer add --username U --roles r1,r2,… [--display-name N] [--person ID]
                                            the first officer (no --as needed) must include admin
  officer list
  readers                                   readers, card presence and ATR
  person add --given-name G --surname S [--email E] [--employee-id N] [--affiliation employee|contractor|visitor]
  person search TEXT | person show ID
  person edit ID [--given-name G] [--surname S] [--email E] [--employee-id N] [--affiliation A]
                                            changes those attributes (registration role); "" clears e-mail / employee id
  person import FILE.csv                    header: given_name,surname,email,employee_id,affiliation[,external_id]
  request create --person ID --profile employee|contractor|visitor
  request approve REQ | request reject REQ --reason R | request list [--state S1,S2] | request show REQ
  produce --request REQ --reader NAME [--pin PIN | --pin-mailer FILE.pdf]
  produce --person ID --reader NAME [--pin PIN | --pin-mailer FILE.pdf] [--algorithm p256|p384|rsa2048] [--profile P]
                                            direct issue: a request and its production at once (the request rules apply; see README "Separation of duties")
  job retry JOB --reader NAME [--pin PIN] | job show JOB | job cancel JOB --reason R | job list
  batch run --requests R1,R2,… | --csv FILE [--readers all|NAME,NAME]
                                            mass production on every free reader; follows until done (Ctrl-C: it goes on at the next start)
  batch show BATCH | batch list | batch cancel BATCH --request REQ --reason R
  verify --reader NAME [--pin PIN]          post-production check of the card in the reader
  virtual-card attach [--vpcd HOST:PORT] [--state FILE] [--personality NAME] [--tdes] [--remove-after N] [--keygen-delay MS]
                                            NAME: ${PERSONALITY_NAMES.join(', ')} (default ${DEFAULT_PERSONALITY})
  ca chain                                  the CA certificates (issuing, root) as PEM
  cpr submit FILE | cpr status ID | cpr delete ID   a CPR by hand, for the IDPRS, as an officer (result JSON; exit 1 when rejected)
  cpr serve [--port N] [--drop DIR]         the IDPRS endpoint and drop folder (token: STATION_CPR_TOKEN or config)
  cpr token                                 a new IDPRS bearer token and its hash for config.json
  outbox list [--dead] | outbox redeliver ID|--all-dead   notifications to the IDPRS, dead letters
  outbox deliver                            send the outbox to notifications.url until a signal
  outbox secret set                         seal STATION_NOTIFY_SECRET, the HMAC secret shared with the IDPRS
  audit verify [--sign] [--anchor FILE]     recompute the audit hash chain, check the keys and the published anchor
                                            (FILE, else config auditAnchor.file); exit 1 with the first broken link
  audit rotate-key                          replace the audit key (administrator), audited and signed by the old key
  audit export --format csv|json [--from DATE] [--to DATE] [--officer U] [--person ID] [--card ID] [--out FILE]
                                            the audit log (auditor role); DATE is YYYY-MM-DD (UTC) or ISO-8601
  card list [--status S1,S2] [--person ID] | card show CARD      CARD: card id, card number or GUID
  card revoke CARD --reason lost|stolen|damaged|left|key-compromise
  card suspend CARD | card resume CARD      certificates on hold / hold released (card may be absent)
  card activate --reader NAME --pin PIN     the cardholder collects the card: PIN verified on the card
  card unlock --reader NAME [--new-pin PIN] blocked PIN reset with the escrowed PUK (or STATION_NEW_PIN); PUK rotated
  card reissue CARD --reader NAME [--reason lost|stolen|damaged] [--pin PIN]
                                            revoke the card and produce its replacement on the blank card in the reader
  card recycle --reader NAME                a returned card: certificates revoked, reset to a blank
  crl [--out FILE] | crl serve [--port N]   the published CRL; its HTTP distribution point (config crlUrl)
  demo [--reader NAME]                      produce a card for a sample person on a virtual card through pcscd
  profile list | profile show ID            the card profiles (employee, contractor, visitor)
  profile set ID [--label L] [--approval required|none] [--card-validity MONTHS] [--cert-validity MONTHS]
      [--alg-9a P256|RSA2048] [--alg-9c|--alg-9d P256|P384|RSA2048] [--alg-9e P256|RSA2048]
      [--slots 9A,9E,9C,9D] [--objects printed,discovery,key-history] [--pin-length 6-8] [--pin-source chosen|generated|either]
      [--affiliations employee,contractor,visitor]   the affiliations the profile serves without an approver
                                            change a profile (admin role); 9A and 9E are always written

Global: --data-dir DIR, --json, --training (create an unprotected training data dir),
        --as USERNAME (the officer: every command goes through the station's StationApi as this
        officer, but the first officer add, virtual-card, ca chain, cpr token|serve, crl serve,
        outbox deliver and a first-run demo)
Secrets: STATION_PASSPHRASE unlocks the data dir; STATION_PASSWORD is the --as officer's password
(else a hidden prompt); STATION_NEW_PASSWORD the password of an officer being added; the PIN may
come from STATION_PIN instead of --pin.

Roles:
${ROLES_HELP}`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  training: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'given-name': { type: 'string' },
  surname: { type: 'string' },
  email: { type: 'string' },
  'employee-id': { type: 'string' },
  affiliation: { type: 'string' },
  person: { type: 'string' },
  reader: { type: 'string' },
  pin: { type: 'string' },
  algorithm: { type: 'string' },
  profile: { type: 'string' },
  reason: { type: 'string' },
  'pin-mailer': { type: 'string' },
  vpcd: { type: 'string' },
  state: { type: 'string' },
  tdes: { type: 'boolean' },
  personality: { type: 'string' },
  'remove-after': { type: 'string' },
  'keygen-delay': { type: 'string' },
  port: { type: 'string' },
  drop: { type: 'string' },
  dead: { type: 'boolean' },
  'all-dead': { type: 'boolean' },
  as: { type: 'string' },
  username: { type: 'string' },
  roles: { type: 'string' },
  'display-name': { type: 'string' },
  request: { type: 'string' },
  requests: { type: 'string' },
  csv: { type: 'string' },
  readers: { type: 'string' },
  format: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  officer: { type: 'string' },
  card: { type: 'string' },
  sign: { type: 'boolean' },
  anchor: { type: 'string' },
  out: { type: 'string' },
  'new-pin': { type: 'string' },
  status: { type: 'string' },
  ...PROFILE_SET_OPTIONS,
} as const;

/** Runs one CLI invocation; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, verb, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const ctx = createCliContext({ dataDir: values['data-dir'] ?? defaultDataDir(), json: !!values.json, training: !!values.training, as: values.as });
  const flags = values as Record<string, string | boolean | undefined>;
  try {
    switch (command) {
      case 'officer':
        return await officerCommand(ctx, verb, flags);
      case 'request':
        return await requestCommand(ctx, verb, rest, flags);
      case 'readers':
        return await readersCommand(ctx);
      case 'person':
        return await personCommand(ctx, verb, rest, flags);
      case 'produce':
        return await produceCommand(ctx, flags);
      case 'batch':
        return await batchCommand(ctx, verb, rest, flags);
      case 'job':
        return await jobCommand(ctx, verb, rest, flags);
      case 'verify':
        return await verifyCommand(ctx, flags);
      case 'virtual-card':
        return await virtualCardCommand(ctx, verb, flags);
      case 'ca':
        return await caCommand(ctx, verb);
      case 'outbox':
        return await outboxCommand(ctx, verb, rest, flags);
      case 'cpr':
        return await cprCommand(ctx, verb, rest, flags);
      case 'audit':
        return await auditCommand(ctx, verb, flags);
      case 'card':
        return await cardCommand(ctx, verb, rest, flags);
      case 'crl':
        return await crlCommand(ctx, verb, flags);
      case 'profile':
        return await profileCommand(ctx, verb, rest, flags);
      case 'demo':
        return await demoCommand(ctx, flags);
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    const err = toStationError(e);
    if (!(e instanceof StationError) && process.env.STATION_DEBUG) console.error(e);
    if (ctx.options.json) process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
    process.stderr.write(`station: ${err.message}${err.code === 'INVALID_INPUT' && err.message.startsWith('Usage') ? '' : ` [${err.code}]`}\n`);
    return err.code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    await ctx.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`station: ${toStationError(e).message}\n`);
    process.exitCode = 1;
  },
);
