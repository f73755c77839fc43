/** The strength a data dir's passphrase must have (issue 13 "Passphrase policy"). */
import { describe, expect, it } from 'vitest';
import { assertPassphraseStrength } from '../../../../electron/core/pki/passphrase-policy.js';

describe('assertPassphraseStrength', () => {
  it.each([
    ['too short', 'Tr0ub4dor&3'],
    ['a common password', 'password1234'],
    ['a keyboard walk', 'qwertyuiopasdf'],
    ['a repeated character', 'aaaaaaaaaaaaaaaa'],
    ['a name and a year', 'JohnSmith1980'],
    ['the station’s own words', 'pivstation2024'],
    ['the organization’s name', 'Example Agency 2024'],
  ])('refuses %s with advice, never echoing the passphrase', async (_why, passphrase) => {
    const e = await assertPassphraseStrength(passphrase, ['Example Agency']).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toMatchObject({ code: 'INVALID_INPUT', details: { field: 'passphrase' } });
    expect((e as Error).message).not.toContain(passphrase);
  });

  it.each(['correct horse battery staple', 'violet tractor mango whistle', 'a brand new station passphrase', 'xK9#mQ2!vL7@pR4$wZ'])('accepts %s', async (passphrase) => {
    await expect(assertPassphraseStrength(passphrase)).resolves.toBeUndefined();
  });
});
