/**
 * Argument checks for the CLI: every value from the command line is validated
 * with zod before it reaches the core, and a bad one gets a sentence naming it.
 */
import { z } from 'zod';
import { StationError } from '../core/errors.js';

/** Parses `value` with `schema`, or throws INVALID_INPUT naming the option. */
export function parseOption<T>(option: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new StationError('INVALID_INPUT', `Invalid ${option}: ${r.error.issues[0]?.message ?? 'bad value'}.`, { option });
  return r.data;
}

/** A required string option. */
export function required(option: string, value: string | boolean | undefined): string {
  if (typeof value !== 'string' || value.length === 0) throw new StationError('INVALID_INPUT', `Missing --${option}.`, { option });
  return value;
}

/** Maps the CLI's algorithm names to the core's. */
export const AlgorithmOption = z.enum(['p256', 'p384', 'rsa2048']).transform((a) => ({ p256: 'P256', p384: 'P384', rsa2048: 'RSA2048' }) [a] as 'P256' | 'P384' | 'RSA2048');

/** HOST:PORT of a vpcd endpoint. */
export const HostPortOption = z
  .string()
  .regex(/^[^:]+:\d{1,5}$/, 'expected HOST:PORT')
  .transform((s) => {
    const [host, port] = s.split(':');
    return { host: host!, port: Number(port) };
  });
