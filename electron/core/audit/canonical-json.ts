/**
 * Canonical JSON: the JSON Canonicalization Scheme (JCS), RFC 8785.
 *
 * - object members sorted by key, comparing UTF-16 code units (RFC 8785 §3.2.3);
 * - no whitespace;
 * - strings escaped as ECMAScript JSON.stringify does (§3.2.2.2);
 * - numbers in ECMAScript Number-to-String form (§3.2.2.3), which is what
 *   JSON.stringify prints for finite numbers;
 * - the result is meant to be encoded as UTF-8 (§3.2.4).
 *
 * The audit chain hashes this form, so it must never change for the same value.
 */
import { StationError } from '../errors.js';

/**
 * Serialises `value` in RFC 8785 canonical form.
 *
 * @param value JSON data: null, boolean, finite number, string, array, plain object
 *              (object members whose value is `undefined` are left out, as JSON.stringify does)
 * @returns the canonical text (encode as UTF-8 before hashing)
 * @throws StationError INVALID_INPUT for a non-finite number or a value JSON cannot hold
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // RFC 8785 §3.2.2.3: NaN and Infinity are not JSON.
      if (!Number.isFinite(value)) throw notJson('a number that is not finite');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks.
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw notJson(`a ${typeof value}`);
  }
}

function notJson(what: string): StationError {
  return new StationError('INVALID_INPUT', `The audit record holds ${what}, which JSON cannot represent.`);
}
