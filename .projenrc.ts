import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-hardened',
  description:
    'Secure-by-default cdk8s constructs, one rule catalog, a manifest scanner and admission policies for hardened Kubernetes.',
  author: 'cdk8s-hardened maintainers',
  authorAddress: 'maintainers@cdk8s-hardened.dev',
  repositoryUrl: 'https://github.com/cdk8s-hardened/cdk8s-hardened.git',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'kubernetes', 'security', 'hardening', 'pod-security-standards', 'cis', 'policy'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Versions that build together on Node 20 (see docs/development.md).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  minNodeVersion: '20.16.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],

  // Runtime dependencies that are not jsii modules must be bundled into the tarball.
  // ajv validates the organisation policy against the schema that ships in schema/.
  bundledDeps: ['js-yaml@^4.1.0', 'commander@^14.0.0', 'yaml@^2.8.0', 'ajv@^8.17.1'],
  devDeps: [
    '@types/js-yaml@^4.0.9',
    'kubernetes-models@^4.5.1',
    'fast-check@^4.3.0',
    '@bufbuild/cel@^0.6.1',
    '@prometheus-io/lezer-promql@^0.315.0',
    'ajv-formats@^3.0.1',
    'cdk8s-cli@^2.207.0',
    'tsx@^4.20.0',
    // Bundles the CLI into the one file the npm bin runs (scripts/bundle-cli.ts); tsx uses the same version.
    'esbuild@^0.28.2',
    '@types/sarif@^2.1.7',
    // Ships the official SARIF 2.1.0 JSON schema, used to validate the SARIF reporter in tests.
    '@microsoft/jest-sarif@1.0.0-beta.0',
  ],

  // Languages jsii generates bindings for. CI (.ci/run) generates and compiles what this machine can;
  // publishing needs the registries' toolchains (pip, Maven, NuGet, a Go module repository).
  publishToPypi: { distName: 'cdk8s-hardened', module: 'cdk8s_hardened' },
  publishToMaven: {
    javaPackage: 'dev.cdk8s_hardened',
    mavenGroupId: 'dev.cdk8s-hardened',
    mavenArtifactId: 'cdk8s-hardened',
  },
  publishToNuget: { dotNetNamespace: 'Cdk8sHardened', packageId: 'Cdk8sHardened' },
  publishToGo: { moduleName: 'github.com/cdk8s-hardened/cdk8s-hardened-go' },

  // Lint reports, it never rewrites files: a lint error must fail `npm test`, not be fixed silently.
  eslintOptions: { dirs: ['src', 'test', 'build-tools', 'projenrc', '.projenrc.ts'], commandOptions: { fix: false } },

  // The library runs its own CI script (.ci/run); no GitHub workflows are generated.
  github: false,
  release: false,
  jestOptions: {
    // A snapshot test must be able to fail: never rewrite snapshots during `npm test`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // Waiver expiry and the admission params' synth date read a clock: tests judge as of one fixed day.
      setupFiles: ['<rootDir>/test/setup-clock.ts'],
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'],
  },
  gitignore: ['/examples/**/dist/', '/bench/results/'],
});

// One-way layers (docs/development.md): a folder may import only the layers below it. Each zone forbids the
// layers above its target, so a change that reintroduces a cycle fails `npm test` with the layer it crossed.
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['core'],
  ['analysis'],
  ['rules'],
  ['engine'],
  ['report'],
  ['admission'],
  ['cli', 'plugin'],
  ['constructs'],
];
const layerZones = LAYERS.flatMap((layer, rank) => layer.map((folder) => ({
  target: `./src/${folder}`,
  from: [
    ...LAYERS.slice(rank + 1).flat(),
    // The plugin is a judge beside the CLI, never built on it.
    ...(folder === 'plugin' ? ['cli'] : []),
  ].map((above) => `./src/${above}`).concat(['./src/index.ts']),
  message: `layer violation: src/${folder} may import only from ${LAYERS.slice(0, rank).flat().filter((f) => !(folder === 'plugin' && f === 'cli')).map((f) => `src/${f}`).join(', ') || 'itself'} (one-way layers, docs/development.md)`,
})));
project.eslint?.addRules({ 'import/no-restricted-paths': ['error', { zones: layerZones }] });

// API.md opens with an overview of the library's own types and members (jsii-docgen lists inherited ones too).
project.tasks.tryFind('docgen')?.exec('tsx scripts/api-overview.ts');

// jest 30 pulls unrs-resolver@1.13.0, whose optional platform bindings are missing from the
// registry at that version; the lockfile then lacks them and `npm ci` fails. 1.12.2 is complete.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// npm 11 blocks dependency install scripts; none of these needs one. Recording the decision keeps installs quiet.
project.package.addField('allowScripts', {
  '@parcel/watcher': false,
  'backport': false,
  'esbuild': false,
  'unrs-resolver': false,
});

project.npmignore?.exclude('/examples/', '/bench/', '/docs/', '/.ci/', '/scripts/');

// ts-jest transpiles each file alone (isolatedModules) for speed, so type-check tests, examples and
// benchmarks once before jest runs.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// projen compiles with `--silence-warnings=reserved-word`; show them instead. The ones left are
// Kubernetes field names (namespace, type, from, except, for) that jsii-pacmak escapes per language.
project.compileTask.reset('jsii');
project.tasks.tryFind('watch')?.reset('jsii -w');

// The npm bin is one file: scripts/bundle-cli.ts bundles what jsii compiled (lib/cli/main.js, the modules it reaches
// and the runtime dependencies) into lib/cli/cdk8s-hardened.js, about 120 ms less start-up per run. test/cli/bundle.test.ts
// runs such a bundle against the in-process CLI; .ci/run runs the packed tarball's bin.
project.compileTask.exec('tsx scripts/bundle-cli.ts');
project.package.addBin({ 'cdk8s-hardened': 'lib/cli/cdk8s-hardened.js' });

// .ci/run runs `npm test` (the README's command) and then the build; the build's test step would run the same
// suite on the same tree a second time, so CI marks the suite as passed and the build skips it.
project.testTask.addCondition('node -e "process.exit(process.env.CDK8S_HARDENED_SUITE_PASSED === \'1\' ? 1 : 0)"');

project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

project.addTask('example', {
  description: 'Synthesize every app under examples/ into dist/ and check the result with the CLI',
  exec: 'tsx scripts/run-examples.ts',
});

const bench = project.addTask('bench', {
  description: 'Run the benchmarks under bench/ (ratios against plain cdk8s-plus-27 and js-yaml in the same run)',
});
// bench/process.bench.ts times the npm bin (the bundled CLI that the compile task writes), as a user runs it.
bench.spawn(project.compileTask);
bench.exec('tsx bench/run.ts', { receiveArgs: true });

project.addTask('cli', {
  description: 'Run the cdk8s-hardened CLI from source (npm run cli -- check dir/)',
  exec: 'tsx src/cli/main.ts',
  receiveArgs: true,
});

project.synth();
