/**
 * The folder layers (eslint.config.js, README "Architecture"): a file that
 * imports across a layer the wrong way is a lint error (`npm test`'s lint
 * check keeps the tree itself clean). Each probe is linted as if it sat in the
 * folder named.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The restricted-import messages for `code` placed at `filePath`. */
async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const PROBES: [string, string, boolean][] = [
  // [file, import, allowed]
  ['electron/core/issuance/probe.ts', '../../../native/sqlite.js', false],
  ['electron/core/probe.ts', '../boot/open-station.js', false],
  ['electron/core/probe.ts', '../servers/crl-server.js', false],
  ['electron/core/probe.ts', '../host/server.js', false],
  ['electron/core/probe.ts', '../cli/context.js', false],
  ['electron/core/probe.ts', 'electron', false],
  ['electron/core/probe.ts', '../contract/station-api.js', true],
  ['electron/contract/probe.ts', '../core/errors.js', false],
  ['electron/contract/probe.ts', 'node:fs', false],
  ['electron/bridge/probe.ts', '../core/dispatch.js', false],
  ['electron/bridge/probe.ts', '../contract/station-api.js', true],
  ['electron/servers/probe.ts', '../boot/open-station.js', false],
  ['electron/servers/probe.ts', '../core/errors.js', true],
  ['electron/boot/probe.ts', '../cli/main.js', false],
  ['electron/boot/probe.ts', '../../native/sqlite.js', true],
  ['electron/host/probe.ts', '../cli/context.js', false],
  ['electron/host/probe.ts', '../shell/main.js', false],
  ['electron/host/probe.ts', '../../native/virtual-card/training-reader.js', false],
  ['electron/host/probe.ts', '../bridge/frames.js', true],
  ['electron/cli/probe.ts', '../host/server.js', false],
  ['electron/cli/probe.ts', '../../native/pcsc/index.js', false],
  ['electron/cli/probe.ts', '../servers/cpr-server.js', true],
  // A face reaches the core only through dispatch: its errors, never its store or services.
  ['electron/cli/probe.ts', '../core/errors.js', true],
  ['electron/cli/probe.ts', '../core/store/store.js', false],
  ['electron/cli/commands/probe.ts', '../../core/workflow/requests.js', false],
  ['electron/host/probe.ts', '../core/workflow/officers.js', false],
  ['electron/shell/probe.ts', '../core/pki/keyring.js', false],
  ['electron/shell/probe.ts', '../host/server.js', false],
  ['electron/shell/probe.ts', '../../native/abi-check.js', true],
  ['electron/preload/probe.ts', '../core/dispatch.js', false],
  ['renderer/src/probe.ts', '../../electron/core/dispatch', false],
  ['renderer/src/probe.ts', '../../electron/host/server', false],
  ['renderer/src/probe.ts', '../../electron/servers/crl-server', false],
  ['renderer/src/probe.ts', '../../electron/bridge/client', true],
  ['renderer/src/probe.ts', '../../electron/contract/station-api', true],
];

describe('layers (eslint no-restricted-imports per folder)', () => {
  it('a face may import the core\'s types (type-only imports are erased)', async () => {
    expect(await importErrors('electron/cli/probe.ts', "import type { StationCore } from '../core/dispatch.js';\nexport type Probe = StationCore;\n")).toEqual([]);
  });

  it.each(PROBES)('%s importing %s: allowed %s', async (file, spec, allowed) => {
    const errors = await importErrors(file, `import * as probe from '${spec}';\nexport default probe;\n`);
    expect(errors.length === 0, errors.join('\n')).toBe(allowed);
  });
});
