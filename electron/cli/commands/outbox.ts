/**
 * `station outbox …`: the notifications to the IDPRS (issue 5).
 *   outbox list [--dead]                  pending and dead events (--dead: dead letters only)
 *   outbox redeliver ID | --all-dead      dead letters back in their stream (audited, as on the Notifications screen)
 *   outbox deliver                        the delivery worker, until SIGINT/SIGTERM (or SIGKILL: nothing is lost);
 *                                         it sends only while it holds the data dir's delivery lease (a running
 *                                         station face may hold it: then this worker waits)
 *   outbox secret set                     seals STATION_NOTIFY_SECRET as the HMAC secret shared with the IDPRS
 *
 * Officers with the admin or security role only (the outbox holds every
 * card's history, and redelivery sends it again).
 */
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';
import type { Station } from '../../boot/open-station.js';
import { requireOfficer } from '../../core/workflow/authorization.js';
import type { Role } from '../../core/workflow/types.js';
import { outboxRepository, type OutboxEvent } from '../../core/notifications/outbox.js';
import { setNotificationSecret } from '../../core/notifications/secret.js';
import { OutboxService } from '../../core/notifications/service.js';
import { createStationDeliveryWorker, NOTIFY_SECRET_ENV } from '../../core/notifications/station-delivery.js';
import type { DeliveryOutcome } from '../../core/notifications/worker.js';

type Flags = Record<string, string | boolean | undefined>;

/** Roles allowed to manage the outbox. */
const OUTBOX_ROLES: readonly Role[] = ['admin', 'security'];
/** Events shown by `outbox list`. */
const LIST_LIMIT = 1000;

const USAGE = 'Usage: station outbox list [--dead] | redeliver ID|--all-dead | deliver | secret set';

/** One line per event. */
function line(e: OutboxEvent): string {
  const where = e.status === 'dead' ? `dead ${e.deadAt}` : e.status === 'delivered' ? `delivered ${e.deliveredAt}` : `next ${e.nextAttemptAt}`;
  return `${e.id}  ${e.type.padEnd(22)} ${e.stream} #${e.seq}  attempts ${e.attempts}  ${where}${e.lastError ? `  (${e.lastError})` : ''}\n`;
}

/** The JSON view of an event (payload included). */
function view(e: OutboxEvent) {
  return { id: e.id, type: e.type, status: e.status, stream: e.stream, seq: e.seq, cardId: e.cardId, requestId: e.requestId, attempts: e.attempts, createdAt: e.createdAt, nextAttemptAt: e.nextAttemptAt, deliveredAt: e.deliveredAt, deadAt: e.deadAt, lastError: e.lastError, payload: e.payload };
}

/** Runs `station outbox VERB …`; returns the exit code. */
export async function outboxCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
  const caller = await ctx.authorize();
  requireOfficer(caller, OUTBOX_ROLES);
  const outbox = outboxRepository(station.store.db);
  switch (verb) {
    case 'list': {
      const list = flags.dead ? outbox.list({ status: 'dead', limit: LIST_LIMIT }) : [...outbox.list({ status: 'pending', limit: LIST_LIMIT }), ...outbox.list({ status: 'dead', limit: LIST_LIMIT })];
      const counts = outbox.counts();
      ctx.result({ counts, events: list.map(view) }, () => {
        process.stdout.write(`${counts.pending} pending, ${counts.dead} dead, ${counts.delivered} delivered\n`);
        list.forEach((e) => process.stdout.write(line(e)));
      });
      return 0;
    }
    case 'redeliver': {
      // Through the same service as the outbox.redeliver channel: each letter put back is audited.
      const service = new OutboxService({ store: station.store });
      const actor = caller.officer.username;
      if (flags['all-dead']) {
        const count = service.redeliver({ allDead: true }, actor).redelivered.length;
        ctx.result({ redelivered: count }, () => process.stdout.write(`${count} dead letter(s) back in the outbox.\n`));
        return 0;
      }
      const id = args[0];
      if (!id) throw new StationError('INVALID_INPUT', USAGE);
      service.redeliver({ eventId: id }, actor);
      const e = outbox.get(id)!;
      ctx.result(view(e), () => process.stdout.write(line(e)));
      return 0;
    }
    case 'deliver':
      return deliver(ctx, station);
    case 'secret': {
      if (args[0] !== 'set') throw new StationError('INVALID_INPUT', USAGE);
      // From the environment, never argv: a command line is visible to every user of the machine.
      const secret = process.env[NOTIFY_SECRET_ENV];
      if (!secret) throw new StationError('INVALID_INPUT', `Give the secret shared with the IDPRS in the ${NOTIFY_SECRET_ENV} environment variable.`);
      setNotificationSecret(station.store, station.keyring.box, secret);
      ctx.result({ secret: 'set' }, () => process.stdout.write('The notification secret is sealed in the station.\n'));
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', USAGE);
  }
}

/** `station outbox deliver`: the worker until a signal. */
async function deliver(ctx: CliContext, station: Station): Promise<number> {
  const report = (o: DeliveryOutcome) => {
    if (ctx.options.json) process.stdout.write(JSON.stringify(o) + '\n');
    else process.stdout.write(`${o.result.padEnd(9)} ${o.type} ${o.stream} #${o.seq} (attempt ${o.attempts})${o.error ? `: ${o.error}` : ''}${o.retryAt ? ` next ${o.retryAt}` : ''}\n`);
  };
  const worker = createStationDeliveryWorker({ store: station.store, box: station.keyring.box, config: station.config }, {
    onOutcome: report,
    onError: (e) => process.stderr.write(`station: the outbox could not be read (${e instanceof StationError ? e.code : 'error'}); trying again.\n`),
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  worker.start();
  if (!ctx.options.json) process.stdout.write(`Delivering notifications to ${new URL(station.config.notifications!.url).origin} (stop with Ctrl-C).\n`);
  await stopped;
  await worker.stop();
  return 0;
}
