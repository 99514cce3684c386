/**
 * Builds the file the npm bin runs: one esbuild bundle of the compiled CLI (lib/cli/main.js) with every module it
 * reaches and the runtime dependencies inlined. A run then reads and compiles one script instead of about 330
 * modules, each with jsii's inline source map (about 120 ms of CPU at start-up). The code is the same and so is
 * the order in which modules initialise: a lazy `require` stays lazy. The bundle sits beside main.js, so the
 * files it reads relative to itself (package.json, schema/) are the ones main.js reads.
 *
 * The compile task runs it after jsii; test/cli/bundle.test.ts builds the same bundle from src/ and runs it.
 * Run: tsx scripts/bundle-cli.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..');

/** The npm bin, relative to the package root (package.json's `bin`). */
export const CLI_BUNDLE = 'lib/cli/cdk8s-hardened.js';

export interface BundleResult {
  readonly outfile: string;
  /** The npm packages inlined, sorted: `name@version (licence)`. */
  readonly packages: readonly string[];
}

/** Bundles `entry` (a JS or TS file) into `outfile`, ending the file with the inlined packages and their licences. */
export function bundleCli(entry: string, outfile: string): BundleResult {
  const result = buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20', // the engines floor
    format: 'cjs',
    minify: false, // stack traces keep their names and the file stays readable
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!match) continue;
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', match[1], 'package.json'), 'utf8'));
    packages.add(`${manifest.name}@${manifest.version} (${manifest.license})`);
  }
  const sorted = [...packages].sort();
  // MIT, ISC, BSD and Python-2.0 ask that the notice travel with the code: the package ships each dependency's
  // LICENSE under node_modules/ (bundledDependencies); the bundle names them.
  fs.appendFileSync(outfile, `\n/*! Bundled packages, each under its own licence (see node_modules/<name>/LICENSE):\n${sorted.map((p) => ` *   ${p}`).join('\n')}\n */\n`);
  fs.chmodSync(outfile, 0o755);
  return { outfile, packages: sorted };
}

if (require.main === module) {
  bundleCli(path.join(ROOT, 'lib', 'cli', 'main.js'), path.join(ROOT, CLI_BUNDLE));
}
