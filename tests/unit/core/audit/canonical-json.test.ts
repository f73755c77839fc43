import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../electron/core/audit/canonical-json.js';

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('matches the RFC 8785 §3.2.2 example', () => {
    // RFC 8785 §3.2.2: input and its canonical output.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });

  it('sorts keys by UTF-16 code units at every depth (RFC 8785 §3.2.3 example)', () => {
    // RFC 8785 §3.2.3 sorting example: the expected property order.
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    const order = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // Object.keys puts the integer-like "1" first regardless; compare the text order instead.
    const text = canonicalJson(input);
    const positions = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) => text.indexOf(JSON.stringify(k) + ':'));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(order).toHaveLength(7);
    expect(canonicalJson({ b: { z: 1, a: [3, { y: 1, x: 2 }] }, a: null })).toBe('{"a":null,"b":{"a":[3,{"x":2,"y":1}],"z":1}}');
  });

  it('leaves out undefined members and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => canonicalJson({ a: Infinity })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => canonicalJson({ a: 1n })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
