/**
 * What `station --help` prints and the options every command takes: plain
 * data that loads nothing else (the roles come from the zod-free
 * contract/officer-rules.ts), so the help and a usage error answer at Node's start-up
 * speed; main.ts loads a command's modules only to run it.
 */
import { ROLES, ROLE_WORDS } from '../contract/officer-rules.js';
// Plain data too (the switches of each virtual card and two light modules: the error class and the PIV constants).
import { DEFAULT_PERSONALITY, PERSONALITY_NAMES } from '../../native/virtual-card/personality.js';

/** The help text, printed by --help and after a usage error. */
export const USAGE = `Usage: station <command> [options]

  officer add --username U --roles r1,r2,… [--display-name N] [--person ID]
                                            the first officer (no --as needed) must include admin
  officer list
  officer edit USERNAME [--display-name N] [--roles r1,r2,…]   an administrator changes an officer's name or roles
  officer disable USERNAME | officer enable USERNAME            a disabled officer's sessions end at once
  officer reset-password USERNAME           a new random password, printed once (the station keeps only its hash)
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
  batch pause BATCH | batch resume BATCH    a paused batch leaves inserted cards alone until resumed
  verify --reader NAME [--pin PIN]          post-production check of the card in the reader
  virtual-card attach [--vpcd HOST:PORT] [--state FILE] [--personality NAME] [--tdes] [--remove-after N] [--keygen-delay MS]
                      [--pull-after-apdu N] [--sw-at-apdu N=SW] [--trace]
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
  passphrase change                         a new data dir passphrase (admin role; new one: STATION_NEW_PASSPHRASE
                                            or typed twice); every secret is sealed again under it
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
Secrets: STATION_PASSPHRASE unlocks the data dir (a new one needs a strong passphrase: 12+ characters,
several unrelated words); STATION_PASSWORD is the --as officer's password (else a hidden prompt);
STATION_NEW_PASSWORD the password of an officer being added; the PIN may come from STATION_PIN
instead of --pin.

Roles:
${ROLES.map((r) => `    ${r.padEnd(13)} ${ROLE_WORDS[r].name}: ${ROLE_WORDS[r].duty}`).join('\n')}`;

/** Every option of every command, for node:util parseArgs (strict: an unknown option is a usage error). */
export const OPTIONS = {
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
  'pull-after-apdu': { type: 'string' },
  'sw-at-apdu': { type: 'string' },
  trace: { type: 'boolean' },
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
  // profile set
  label: { type: 'string' },
  approval: { type: 'string' },
  'card-validity': { type: 'string' },
  'cert-validity': { type: 'string' },
  'alg-9a': { type: 'string' },
  'alg-9c': { type: 'string' },
  'alg-9d': { type: 'string' },
  'alg-9e': { type: 'string' },
  slots: { type: 'string' },
  objects: { type: 'string' },
  affiliations: { type: 'string' },
  'pin-length': { type: 'string' },
  'pin-source': { type: 'string' },
} as const;
