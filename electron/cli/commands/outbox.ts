/**
 * `station outbox …`: the notifications to the IDPRS.
 *   outbox list [--dead]                  pending and dead events (--dead: dead letters only)
 *   outbox redeliver ID | --all-dead      dead letters back in their stream (audited, as on the Notifications screen)
 *   outbox deliver                        the delivery worker, until SIGINT/SIGTERM (or SIGKILL: nothing is lost);
 *                                         it sends only while it holds the data dir's delivery lease (a running
 *                                         station face may hold it: then this worker waits)
 *   outbox secret set                     seals STATION_NOTIFY_SECRET as the HMAC secret shared with the IDPRS
 *
 * list, redeliver and secret are officer calls (outbox.* in CHANNEL_ROLES:
 * administrators and security officers; auditors may list). `deliver` is the
 * station's own delivery service, the one every running station face runs
 * without an officer: it sends what the core queued to the configured IDPRS.
 */
import type { CliContext } from '../context.js';
import { StationError, toStationError } from '../../core/errors.js';
import type { OutboxEventView } from '../../contract/station-api.js';
import type { DeliveryOutcome } from '../../core/notifications/worker.js';
import { NOTIFY_SECRET_ENV } from '../../boot/notification-delivery.js';

type Flags = Record<string, string | boolean | undefined>;

/** Most events `outbox list` shows per status (the channel's page limit). */
const LIST_LIMIT = 500;

const USAGE = 'Usage: station outbox list [--dead] | redeliver ID|--all-dead | deliver | secret set';

/** One line per event. */
function line(e: OutboxEventView): string {
  const where = e.status === 'dead' ? `dead ${e.deadAt}` : e.status === 'delivered' ? `delivered ${e.deliveredAt}` : `next ${e.nextAttemptAt}`;
  return `${e.id}  ${e.type.padEnd(22)} ${e.stream} #${e.seq}  attempts ${e.attempts}  ${where}${e.lastError ? `  (${e.lastError})` : ''}\n`;
}

/** Runs `station outbox VERB …`; returns the exit code. */
export async function outboxCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  switch (verb) {
    case 'list': {
      const dead = await ctx.call('outbox.list', { status: 'dead', limit: LIST_LIMIT });
      const events = flags.dead ? dead.events : [...(await ctx.call('outbox.list', { status: 'pending', limit: LIST_LIMIT })).events, ...dead.events];
      const { counts, delivery } = dead;
      ctx.result({ counts, delivery, events }, () => {
        // A station that does not deliver says so first (issue 12, obs. 3): its pending events have no next attempt.
        if (delivery.sentence) process.stdout.write(`${delivery.sentence}\n`);
        process.stdout.write(`${counts.pending} pending, ${counts.dead} dead, ${counts.delivered} delivered\n`);
        events.forEach((e) => process.stdout.write(line(e)));
      });
      return 0;
    }
    case 'redeliver': {
      if (flags['all-dead']) {
        const count = (await ctx.call('outbox.redeliver', { allDead: true })).redelivered.length;
        ctx.result({ redelivered: count }, () => process.stdout.write(`${count} dead letter(s) back in the outbox.\n`));
        return 0;
      }
      const id = args[0];
      if (!id) throw new StationError('INVALID_INPUT', USAGE);
      const [e] = (await ctx.call('outbox.redeliver', { eventId: id }, { eventId: 'ID' })).redelivered;
      ctx.result(e, () => e && process.stdout.write(line(e)));
      return 0;
    }
    case 'deliver':
      return deliver(ctx);
    case 'secret': {
      if (args[0] !== 'set') throw new StationError('INVALID_INPUT', USAGE);
      // From the environment, never argv: a command line is visible to every user of the machine.
      const secret = process.env[NOTIFY_SECRET_ENV];
      if (!secret) throw new StationError('INVALID_INPUT', `Give the secret shared with the IDPRS in the ${NOTIFY_SECRET_ENV} environment variable.`);
      await ctx.call('outbox.setSecret', { secret }, { secret: NOTIFY_SECRET_ENV });
      ctx.result({ secret: 'set' }, () => process.stdout.write('The notification secret is sealed in the station.\n'));
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', USAGE);
  }
}

/** `station outbox deliver`: the station's delivery worker until a signal. */
async function deliver(ctx: CliContext): Promise<number> {
  const report = (o: DeliveryOutcome) => {
    if (ctx.options.json) process.stdout.write(JSON.stringify(o) + '\n');
    else process.stdout.write(`${o.result.padEnd(9)} ${o.type} ${o.stream} #${o.seq} (attempt ${o.attempts})${o.error ? `: ${o.error}` : ''}${o.retryAt ? ` next ${o.retryAt}` : ''}\n`);
  };
  const worker = (await ctx.station()).startDelivery({
    onOutcome: report,
    onError: (e) => process.stderr.write(`station: the outbox could not be read (${toStationError(e).code}); trying again.\n`),
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  if (!ctx.options.json) process.stdout.write(`Delivering notifications to ${new URL(worker.url).origin} (stop with Ctrl-C).\n`);
  await stopped;
  await worker.stop();
  return 0;
}
