/**
 * `station profile list|show|set`: the administered card profiles, through
 * the StationApi. Any officer may read them; only an administrator changes
 * one (the core checks it). The core's profile registry validates the merged
 * profile and audits the change.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption } from '../args.js';
import { StationError } from '../../core/errors.js';
import { PinSourceSchema, PROFILE_IDS, PROFILE_OBJECTS, PROFILE_SLOTS, type CardProfile, type CardProfilePatch } from '../../contract/card-profile.js';
import type { ChannelInput, Profile } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

const Months = z.string().regex(/^\d{1,3}$/, 'a number of months').transform(Number);
const ListOf = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values as [T, ...T[]], `each is one of ${values.join(', ')}`)));
const SlotsOption = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(ListOf(PROFILE_SLOTS));
const PinLengthOption = z
  .string()
  .regex(/^\d(-\d)?$/, 'N or MIN-MAX, e.g. 6-8')
  .transform((s) => {
    const [min, max] = s.split('-').map(Number);
    return { minLength: min!, maxLength: max ?? min! };
  });
const AlgOption = z.string().transform((s) => s.toUpperCase());

/**
 * The patch `profile set` asks for: only the fields given on the command line,
 * nested fields (algorithms, PIN policy) completed from `current`. Values are
 * checked for form here and for the profile rules by the registry.
 * @throws StationError INVALID_INPUT naming the option
 */
export function profilePatchFromFlags(flags: Flags, current: CardProfile): CardProfilePatch {
  const patch: CardProfilePatch = {};
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  if (str('label') !== undefined) patch.label = str('label');
  if (str('approval') !== undefined) patch.approvalRequired = parseOption('--approval', z.enum(['required', 'none']), str('approval')) === 'required';
  if (str('card-validity') !== undefined) patch.cardValidityMonths = parseOption('--card-validity', Months, str('card-validity'));
  if (str('cert-validity') !== undefined) patch.certificateValidityMonths = parseOption('--cert-validity', Months, str('cert-validity'));
  const algorithms = { ...current.algorithms } as Record<string, string>;
  let algChanged = false;
  for (const slot of PROFILE_SLOTS) {
    const v = str(`alg-${slot.toLowerCase()}`);
    if (v === undefined) continue;
    algorithms[slot] = parseOption(`--alg-${slot.toLowerCase()}`, AlgOption, v);
    algChanged = true;
  }
  if (algChanged) patch.algorithms = algorithms as CardProfile['algorithms'];
  if (str('slots') !== undefined) patch.slots = parseOption('--slots', SlotsOption, str('slots'));
  if (str('objects') !== undefined) patch.objects = parseOption('--objects', ListOf(PROFILE_OBJECTS), str('objects'));
  if (str('affiliations') !== undefined) patch.affiliations = parseOption('--affiliations', ListOf(PROFILE_IDS), str('affiliations'));
  if (str('pin-length') !== undefined || str('pin-source') !== undefined) {
    const lengths = str('pin-length') !== undefined ? parseOption('--pin-length', PinLengthOption, str('pin-length')) : current.pinPolicy;
    const source = str('pin-source') !== undefined ? parseOption('--pin-source', PinSourceSchema, str('pin-source')) : current.pinPolicy.source;
    patch.pinPolicy = { minLength: lengths.minLength, maxLength: lengths.maxLength, source };
  }
  return patch;
}

/** The profile id positional. @throws StationError INVALID_INPUT when absent */
function profileId(rest: string[]): ChannelInput<'profiles.get'>['id'] {
  if (!rest[0]) throw new StationError('INVALID_INPUT', 'Name the profile: employee, contractor or visitor.', { field: 'profile' });
  return rest[0] as ChannelInput<'profiles.get'>['id'];
}

/** A profile as the CLI's JSON shows it: the profile's fields, then its version and last change. */
function entry({ version, updatedAt, updatedBy, ...profile }: Profile) {
  return { profile, version, updatedAt, updatedBy };
}

/** One profile as lines for a terminal. */
function describe(p: Profile): string {
  const pinLength = p.pinPolicy.minLength === p.pinPolicy.maxLength ? `${p.pinPolicy.minLength}` : `${p.pinPolicy.minLength}-${p.pinPolicy.maxLength}`;
  return [
    `${p.id} (${p.label}), version ${p.version}, changed ${p.updatedAt} by ${p.updatedBy}`,
    `  approval        ${p.approvalRequired ? 'required' : 'none'}`,
    `  affiliations    ${p.affiliations.join(', ')} (anyone else: an approver decides)`,
    `  card validity   ${p.cardValidityMonths} months; certificates ${p.certificateValidityMonths} months`,
    `  slots           ${p.slots.map((s) => `${s} ${p.algorithms[s]}`).join(', ')}`,
    `  objects         CHUID, CCC, certificates${p.objects.length ? `, ${p.objects.join(', ')}` : ''}`,
    `  PIN             ${pinLength} digits, ${p.pinPolicy.source}`,
    '',
  ].join('\n');
}

/** The option each profile field comes from. */
const PROFILE_OPTIONS = { id: 'profile id' } as const;

/** `station profile list`, `station profile show ID`, `station profile set ID [--approval …] …` */
export async function profileCommand(ctx: CliContext, verb: string | undefined, rest: string[], flags: Flags): Promise<number> {
  if (verb === 'list') {
    const all = await ctx.call('profiles.list', {});
    ctx.result(all.map(entry), () => all.forEach((p) => process.stdout.write(describe(p))));
    return 0;
  }
  if (verb === 'show') {
    const profile = await ctx.call('profiles.get', { id: profileId(rest) }, PROFILE_OPTIONS);
    ctx.result(entry(profile), () => process.stdout.write(describe(profile)));
    return 0;
  }
  if (verb === 'set') {
    const id = profileId(rest);
    const patch = profilePatchFromFlags(flags, await ctx.call('profiles.get', { id }, PROFILE_OPTIONS));
    if (Object.keys(patch).length === 0) throw new StationError('INVALID_INPUT', 'Nothing to change: give at least one option (see station --help).');
    const { changes, ...saved } = await ctx.call('profiles.update', { id, patch }, PROFILE_OPTIONS);
    ctx.result({ ...entry(saved), changes }, () => {
      if (changes.length === 0) process.stdout.write(`Profile ${id} unchanged (version ${saved.version}).\n`);
      else process.stdout.write(`Profile ${id} is now version ${saved.version}: ${changes.map((c) => `${c.field} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; ')}.\n`);
    });
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station profile list | station profile show ID | station profile set ID [options]');
}
