/**
 * electron-builder `beforePack` hook (electron-builder.yml): runs for every
 * packaged app, release builds and `npm run package:check` alike, before the
 * app and its extraResources are copied. Generates the third-party notices of
 * the production dependencies (third-party-notices.mjs) at NOTICES_SOURCE,
 * which electron-builder.yml's extraResources ships as resources/THIRD_PARTY_NOTICES.txt.
 */
import { writeThirdPartyNotices } from './third-party-notices.mjs';

/** @param {import('app-builder-lib').BeforePackContext} context */
export default async function beforePack(context) {
  const { file, packages } = await writeThirdPartyNotices(context.packager.info.projectDir);
  console.log(`  • third-party notices  packages=${packages.length} file=${file}`);
}
