/**
 * electron-builder `afterPack` hook (electron-builder.yml): runs for every
 * packaged app, release builds and `npm run package:check` alike, before
 * signing and before the installers are made.
 *
 * 1. Checks that the third-party notices the beforePack hook generated were
 *    shipped (electron-builder.yml extraResources): a package without them fails.
 * 2. Applies electron-builder.yml's `electronFuses` to the packaged Electron
 *    binary and reads them back, failing the build on any difference. (electron-builder
 *    flips the same fuses again after this hook, and on Linux offers no hook after
 *    that one: so the check is here, on the same declaration; flipping twice changes nothing.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkFuses, fuseConfigOf } from './fuses.mjs';
import { NOTICES_FILE } from './third-party-notices.mjs';

/** The packaged Electron executable (`.app` bundle on macOS), as electron-builder names it. */
function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

/** @param {import('app-builder-lib').AfterPackContext} context */
export default async function afterPack(context) {
  const { packager, appOutDir } = context;
  const notices = join(packager.getResourcesDir(appOutDir), NOTICES_FILE);
  if (!existsSync(notices)) throw new Error(`the package has no ${NOTICES_FILE}: electron-builder.yml must ship the beforePack hook's notices as extraResources`);

  const wanted = packager.config.electronFuses;
  if (!wanted) throw new Error('electron-builder.yml sets no electronFuses: the packaged app would keep Electron’s defaults (RunAsNode on, …)');
  await packager.addElectronFuses(context, fuseConfigOf(wanted));
  const wrong = (await checkFuses(packagedBinary(context), wanted)).filter((f) => !f.ok);
  if (wrong.length > 0) throw new Error(`the packaged Electron's fuses differ from electronFuses: ${wrong.map((f) => `${f.name} is ${f.got}, not ${f.want}`).join('; ')}`);
  console.log(`  • electron fuses  checked=${Object.keys(wanted).length} binary=${packagedBinary(context)}`);
}
