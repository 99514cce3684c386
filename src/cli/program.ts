/**
 * The `cdk8s-hardened` command line: `check`, `fix`, `rules`, `report`, `images` and `admission`. Everything is reached through
 * `runCli(argv, io)` so tests run it in process with captured streams; main.ts binds it to the process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { inventoryOf } from './images';
import { ProgressBar, ProgressStream } from './progress';
import { admissionYaml, ValidationAction } from '../admission/policies';
import { InputProblem, Level, parseSeverity, Severity } from '../core/types';
import { clockError } from '../core/waiver-judgement';
import { engineOptions, externalNamespacesError, findPolicyFile, HardenedConfig, loadConfig, namespaceNameError, policyExemptions, POLICY_FILE_NAME, RunFlags, UsageError } from '../engine/config';
import type { Exemption } from '../engine/exemptions';
import type * as FixModule from '../engine/fix/fix';
import { exitCodeOf, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, judgeLoaded, scan, toolVersion, unusedExemptionText } from '../engine/scan';
import { listWaivers } from '../engine/waiver-list';
import { FORMATS, Format, render } from '../report';
import { CATALOG_FORMATS, CatalogFormat, renderCatalog } from '../report/catalog';
import { renderFix } from '../report/fix';
import { INVENTORY_FORMATS, InventoryFormat } from '../report/inventory';
import { CheckReport, problemText, summaryLine, unjudgedObjects, unjudgedText, warningText } from '../report/model';
import { renderPosture } from '../report/posture';
import { renderWaivers, WAIVER_FORMATS, WaiverFormat } from '../report/waivers';
import { ALL_RULES } from '../rules';
import { kubernetesVersionError } from '../rules/workload/api-lifecycle';

export interface CliStream extends ProgressStream {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
  /** Standard input for the path `-`. @default the process's stdin */
  readonly readStdin?: () => Promise<string>;
}

interface SelectionOptions {
  readonly level?: Level;
  readonly minSeverity?: Severity;
  readonly rule: string[];
  readonly skip: string[];
  readonly policy?: string;
  readonly config?: string;
  readonly output?: string;
  readonly progress: boolean;
  readonly namespace?: string;
  readonly kubernetesVersion?: string;
  readonly scanReport?: string[];
  readonly externalNamespaces?: string;
  readonly partial?: boolean;
  readonly peerExemptions?: boolean;
  readonly today?: string;
}

const WAIVERS_EXAMPLES = `
Examples:
  $ cdk8s-hardened waivers dist/                            # every waiver, with owner, ticket, expiry and source
  $ cdk8s-hardened waivers dist/ --expired                  # only expired ones; exit 1 when there are any
  $ cdk8s-hardened waivers dist/ --unused -c policy.yaml    # stale annotations and config exemptions
  $ cdk8s-hardened waivers dist/ --peer-exemptions -f markdown
Sources: construct (written by the construct API, with its exemption label), annotation (written by hand),
config (an exemption of --config), peer (kube-linter, Polaris, kube-score annotations; --peer-exemptions).
Exit codes:
  0  listed (with --expired or --unused: none matched)
  1  --expired or --unused matched a waiver
  2  bad input or bad usage
`;

const CHECK_EXAMPLES = `
Examples:
  $ cdk8s-hardened check dist/                      # every *.yaml, *.yml, *.json under dist/
  $ kubectl get deploy -A -o yaml | cdk8s-hardened check - --external-namespaces '*'
  $ cdk8s-hardened check dist/ --format sarif --output results.sarif
  $ cdk8s-hardened check app.yaml --level baseline --min-severity high
  $ cdk8s-hardened check app.yaml --rule pod-privileged --skip pod-privileged
  $ cdk8s-hardened check dist/ --config hardened.yaml --format junit -o junit.xml
  $ cdk8s-hardened check k8s/ --kubernetes-version 1.32  # removed and deprecated APIs as of 1.32
  $ cdk8s-hardened check k8s/ --namespace shop       # the manifests of \`kubectl apply -n shop -R -f k8s/\`
  $ cdk8s-hardened check vendor/ --external-namespaces argocd,monitoring --partial
  $ cdk8s-hardened check dist/ --scan-report web.trivy.json --scan-report worker.grype.json

Exit codes:
  0  every object was judged and nothing was found
  1  findings (at or above --min-severity, not waived)
  2  bad input (unreadable file, invalid YAML/JSON, not a Kubernetes object, ...) or bad usage;
     2 wins over 1: a scan that could not judge everything never reads as a verdict
`;

const FIX_EXAMPLES = `
Examples:
  $ cdk8s-hardened fix vendor/install.yaml                      # what would change, and what is left
  $ cdk8s-hardened fix vendor/install.yaml --diff               # the same as a unified diff
  $ cdk8s-hardened fix k8s/ --output-dir hardened/ && cdk8s-hardened check hardened/
  $ cdk8s-hardened fix k8s/ --in-place --partial

Fills every unset pod control exactly as the hardened constructs do (non-root UID/GID, seccomp and AppArmor
RuntimeDefault, drop ALL, no privilege escalation, read-only root with a /tmp emptyDir, token automount off); an
explicit value is never changed. Comments, document order and the layout of untouched lines are kept. What it
cannot fix (a privileged container, an image without a digest, RBAC wildcards) is listed with the change or the
waiver to add. Running fix on its output changes nothing; check on its output reports exactly what is listed.
Nothing is written when any input cannot be read like kubectl reads it.
Exit codes are those of check on the output (0 clean, 1 remaining findings, 2 bad input or usage).
`;

const RULES_EXAMPLES = `
Examples:
  $ cdk8s-hardened rules
  $ cdk8s-hardened rules --format json | jq '.[] | select(.severity == "critical") | .id'
  $ cdk8s-hardened rules --format markdown > docs/rules.md
`;

const ADMISSION_EXAMPLES = `
Examples:
  $ cdk8s-hardened admission > policies.yaml && kubectl apply -f policies.yaml
  $ cdk8s-hardened admission --action Warn --action Audit --reason 'warn phase until 2027-01-15, then Deny'
  $ cdk8s-hardened admission --level baseline --config hardened.yaml -o policies.yaml

Prints ValidatingAdmissionPolicies and bindings (admissionregistration.k8s.io/v1, Kubernetes 1.30+) for the
selected rules; rules that cannot be judged at admission are listed in the header comments.
Actions without Deny need --reason: each binding then carries the waiver for admission-binding-weakened with it,
so \`cdk8s-hardened check\` reports the staged roll-out as waived rather than failing or passing silently.
Exit codes: 0 written, 2 bad usage (unknown rule id, bad action, missing or bad --reason, invalid config).
`;

const REPORT_EXAMPLES = `
Examples:
  $ cdk8s-hardened report dist/ --output posture.md
  $ cdk8s-hardened report dist/ --config hardened.yaml >> "$GITHUB_STEP_SUMMARY"

Exit codes are those of check (0 clean, 1 findings, 2 bad input or usage).
`;

const IMAGES_EXAMPLES = `
Examples:
  $ cdk8s-hardened images dist/
  $ cdk8s-hardened images dist/ --format cyclonedx --output images.cdx.json && trivy sbom images.cdx.json
  $ cdk8s-hardened images dist/ --config hardened.yaml --format json | jq '.images[] | select(.allowed | not)'

Lists every image the manifests run: containers, init and ephemeral containers and image volumes of Pods,
every workload kind and any kind with a pod template; with the objects using each, pull secrets, pinning
and the verdict of the config's imagePolicy.
Exit codes:
  0  every image is allowed by the image policy
  1  an image violates the image policy (outside the allowed sources, not pinned, latest)
  2  bad input (unreadable file, invalid YAML, an unparseable image reference) or bad usage
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = new Command('cdk8s-hardened');
  program
    .description('Judge Kubernetes manifests with the cdk8s-hardened rule catalog.')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', '\nRun `cdk8s-hardened <command> --help` for the options and examples of a command.');

  const withSelection = (cmd: Command) =>
    cmd
      .addOption(new Option('--level <level>', 'Pod Security Standards level to judge at (default: restricted)').choices(['baseline', 'restricted']))
      .addOption(new Option('--min-severity <severity>', 'report findings at or above this severity (default: low)').choices(['critical', 'high', 'medium', 'low']))
      .option('--rule <id>', 'run only this rule (repeatable, or comma-separated)', collect, [])
      .option('--skip <id>', 'skip this rule (repeatable, or comma-separated)', collect, [])
      .option('-n, --namespace <name>', 'read objects without a namespace as `kubectl apply -n NAME` does (default: they are read as "default")')
      .option('--external-namespaces <names>', 'namespaces managed elsewhere, comma-separated, or * for all: their namespace-level rules (default deny, quota, limit range, admission labels) are not judged')
      .option('--partial', 'the input is part of what runs: what rules find missing from it (dangling bindings, missing PodDisruptionBudgets, ...) is a warning, not a finding')
      .option('--kubernetes-version <version>', 'Kubernetes version the manifests target, for removed and deprecated API versions (default: 1.30)')
      .option('-p, --policy <file>', `the organisation policy (YAML or JSON; default: the nearest ${POLICY_FILE_NAME} above the paths, else above the working directory); the flags override it`)
      .option('-c, --config <file>', 'alias of --policy')
      .option('--peer-exemptions', 'read kube-linter, Polaris and kube-score exemption annotations as waivers (default: ignored)')
      .option('--today <date>', 'judge waiver expiry as of this day, YYYY-MM-DD (default: $CDK8S_HARDENED_TODAY, else today in UTC)')
      .option('-o, --output <file>', 'write the result to this file instead of stdout')
      .option('--no-progress', 'never draw a progress bar (it is drawn only on a terminal, for large input)');

  withSelection(
    program
      .command('check')
      .description('Check manifests: files, directories (*.yaml, *.yml, *.json) or - for stdin')
      .argument('<paths...>', 'files, directories, or - for standard input')
      .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
      .option('--scan-report <file>', 'image scanner results (Trivy JSON, Grype JSON or SARIF) for the scan gate, rule image-known-vulnerabilities (repeatable)', collectFiles, [])
      .option('--color', 'force colours in text output')
      .option('--no-color', 'never use colours (also: NO_COLOR=1)')
      .addHelpText('after', CHECK_EXAMPLES),
  ).action(async (paths: string[], options: SelectionOptions & { format: Format; color?: boolean }) => {
    const outcome = await scanWith(paths, options, io);
    const color = options.output === undefined && (options.color ?? (io.stdout.isTTY === true && !io.env.NO_COLOR));
    emit(render(options.format, outcome.report, { color }), options.output, io);
    warnUnused(outcome.unusedExemptions, io);
    // Text on stdout already lists the problems and notes; anywhere else they go to stderr, where a human looks.
    if (options.format !== 'text' || options.output !== undefined) {
      reportProblemsOnStderr(outcome.report.result.problems, io);
      reportNotesOnStderr(outcome.report, io);
    }
    if (options.output !== undefined) io.stderr.write(`wrote ${options.output}: ${summaryLine(outcome.report)}\n`);
    exitCode = exitCodeOf(outcome.report.result);
  });

  withSelection(
    program
      .command('fix')
      .description('Harden the workloads of manifests (comments and layout kept) and list what is left for a person')
      .argument('<paths...>', 'files, directories, or - for standard input')
      .option('--in-place', 'rewrite the changed files')
      .option('--output-dir <dir>', 'write every file, changed or not, under this directory (files by name, directories by their contents)')
      .option('--diff', 'print a unified diff instead of the table of changes')
      .addHelpText('after', FIX_EXAMPLES),
  ).action(async (paths: string[], options: SelectionOptions & { inPlace?: boolean; outputDir?: string; diff?: boolean }) => {
    if (options.inPlace && options.outputDir !== undefined) throw new UsageError('give --in-place or --output-dir, not both');
    if (options.inPlace && paths.includes('-')) throw new UsageError('--in-place cannot rewrite standard input: use --output-dir, or no option to print the changes');
    const { flags, config } = runFlags(paths, options);
    // Loaded here: fix brings the `yaml` package's document API, which no other command needs at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fixPaths } = require('../engine/fix/fix') as typeof FixModule;
    const fixed = await fixPaths(paths, { readStdin: io.readStdin });
    const outcome = await judgeLoaded(() => fixed.output, { config, flags });
    // Nothing is written while check would refuse the input or the output (a duplicate object across files, ...).
    const blocked = fixed.problems.length > 0 || outcome.report.result.problems.length > 0;
    const targets = blocked ? [] : outputTargets(paths, fixed.files, options);
    const written: string[] = [];
    for (const target of targets) {
      try {
        fs.mkdirSync(path.dirname(target.to), { recursive: true });
        fs.writeFileSync(target.to, target.text);
      } catch (e) {
        throw new UsageError(`cannot write ${target.to}: ${(e as Error).message}`);
      }
      written.push(`wrote ${target.to}`);
    }
    emit(renderFix(fixed, outcome.report, { diff: options.diff, written }), options.output, io);
    warnUnused(outcome.unusedExemptions, io);
    const messages = new Set(fixed.problems.map((p) => problemText(p)));
    const outputProblems = outcome.report.result.problems.filter((p) => !messages.has(problemText(p)));
    const result = { ...outcome.report.result, problems: [...fixed.problems, ...outputProblems] };
    if (options.output !== undefined) reportProblemsOnStderr(result.problems, io);
    exitCode = exitCodeOf(result);
  });

  program
    .command('rules')
    .description('List the rule catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...CATALOG_FORMATS]).default('text'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText('after', RULES_EXAMPLES)
    .action((options: { format: CatalogFormat; output?: string }) => {
      emit(renderCatalog(ALL_RULES, options.format), options.output, io);
    });

  withSelection(
    program
      .command('report')
      .description('Write a Markdown security posture report over manifests or a synth output directory')
      .argument('<paths...>', 'files, directories, or - for standard input')
      .addHelpText('after', REPORT_EXAMPLES),
  ).action(async (paths: string[], options: SelectionOptions) => {
    const outcome = await scanWith(paths, options, io);
    emit(renderPosture(outcome.report), options.output, io);
    warnUnused(outcome.unusedExemptions, io);
    reportProblemsOnStderr(outcome.report.result.problems, io);
    reportNotesOnStderr(outcome.report, io);
    if (options.output !== undefined) io.stderr.write(`wrote ${options.output}: ${summaryLine(outcome.report)}\n`);
    exitCode = exitCodeOf(outcome.report.result);
  });

  withSelection(
    program
      .command('waivers')
      .description('List every waiver in the manifests: rule, object, reason, owner, ticket, expiry, source and what the judges made of it')
      .argument('<paths...>', 'files, directories, or - for standard input')
      .addOption(new Option('-f, --format <format>', 'output format').choices([...WAIVER_FORMATS]).default('text'))
      .option('--expired', 'only waivers that have expired (exit 1 when there are any)')
      .option('--unused', 'only waivers whose rule finds nothing on their object, and config exemptions that match nothing (exit 1 when there are any)')
      .addHelpText('after', WAIVERS_EXAMPLES),
  ).action(async (paths: string[], options: SelectionOptions & { format: WaiverFormat; expired?: boolean; unused?: boolean }) => {
    const { config, flags } = runFlags(paths, options);
    const listing = await listWaivers(paths, { config, flags, readStdin: io.readStdin, expired: options.expired, unused: options.unused });
    emit(renderWaivers(listing, options.format), options.output, io);
    reportProblemsOnStderr(listing.problems, io);
    exitCode = listing.problems.length > 0 ? EXIT_INPUT : (options.expired || options.unused) && listing.rows.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
  });

  program
    .command('images')
    .description('List the images the manifests run (text, JSON or a CycloneDX 1.6 bill of materials)')
    .argument('<paths...>', 'files, directories, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...INVENTORY_FORMATS]).default('text'))
    .option('-n, --namespace <name>', 'read objects without a namespace as `kubectl apply -n NAME` does')
    .option('-p, --policy <file>', `the organisation policy (default: the nearest ${POLICY_FILE_NAME}): imagePolicy and namespace are used`)
    .option('-c, --config <file>', 'alias of --policy')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText('after', IMAGES_EXAMPLES)
    .action(async (paths: string[], options: { format: InventoryFormat; namespace?: string; policy?: string; config?: string; output?: string }) => {
      const config = policyOf(paths, options);
      if (options.namespace !== undefined) {
        const error = namespaceNameError(options.namespace);
        if (error) throw new UsageError(`--namespace: ${error}`);
      }
      const run = await inventoryOf(paths, options.format, { config, flags: { namespace: options.namespace }, readStdin: io.readStdin });
      emit(run.text, options.output, io);
      reportProblemsOnStderr(run.problems, io);
      for (const note of run.notes) io.stderr.write(`note: ${note}\n`);
      if (options.output !== undefined) io.stderr.write(`wrote ${options.output}: ${run.summary}\n`);
      exitCode = run.exitCode;
    });

  program
    .command('admission')
    .description('Print the ValidatingAdmissionPolicies that enforce the selected rules in the cluster')
    .addOption(new Option('--level <level>', 'Pod Security Standards level (default: restricted)').choices(['baseline', 'restricted']))
    .addOption(new Option('--min-severity <severity>', 'only rules at or above this severity (default: low)').choices(['critical', 'high', 'medium', 'low']))
    .option('--rule <id>', 'enforce only this rule (repeatable, or comma-separated)', collect, [])
    .option('--skip <id>', 'leave this rule out (repeatable, or comma-separated)', collect, [])
    .option('--action <action>', 'validationActions of the bindings: Deny, Warn, Audit (repeatable; default: Deny)', collect, [])
    .option('--reason <text>', 'why the bindings do not deny yet (required with actions without Deny): recorded as their waiver for admission-binding-weakened')
    .option('--exclude-namespace <namespace>', 'namespace the bindings leave out (repeatable; default: kube-system)', collect, [])
    .option('-p, --policy <file>', `the organisation policy (default: the nearest ${POLICY_FILE_NAME} above the working directory): level, minSeverity, rules, skip, overrides, lockedRules, exemptions, grants, waivable and imagePolicy are used`)
    .option('-c, --config <file>', 'alias of --policy')
    .option('--today <date>', 'the params\' waivers.synth-date, YYYY-MM-DD: admission denies waivers that expired before it (default: $CDK8S_HARDENED_TODAY, else today in UTC)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText('after', ADMISSION_EXAMPLES)
    .action((options: Omit<SelectionOptions, 'progress'> & { action: string[]; excludeNamespace: string[]; reason?: string }) => {
      const config = policyOf([], options);
      const engine = engineOptions(config, {
        level: options.level,
        minSeverity: options.minSeverity ? parseSeverity(options.minSeverity) : undefined,
        rules: options.rule,
        skip: options.skip,
      });
      let text: string;
      try {
        text = admissionYaml({
          ...engine,
          imagePolicy: config.imagePolicy,
          exemptions: policyExemptions(config),
          actions: options.action.length > 0 ? (options.action as ValidationAction[]) : undefined,
          rolloutReason: options.reason,
          excludedNamespaces: options.excludeNamespace.length > 0 ? options.excludeNamespace : undefined,
          today: options.today !== undefined ? checkedToday(options.today) : undefined,
        });
      } catch (e) {
        // Unknown rule ids, bad actions and a missing roll-out reason: the admission builder names them.
        throw new UsageError((e as Error).message);
      }
      emit(text, options.output, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every parse error (unknown option, missing path, bad choice) is usage: 2.
      return e.exitCode === 0 ? EXIT_CLEAN : EXIT_INPUT;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return EXIT_INPUT;
    }
    const err = e as Error;
    io.stderr.write(`error: ${err.message}\n`);
    if (io.env.CDK8S_HARDENED_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_INPUT;
  }
}

function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

/** Where each file goes: changed files in place, or every file under --output-dir (none for a dry run). */
function outputTargets(
  paths: readonly string[],
  files: readonly FixModule.FixedFile[],
  options: { inPlace?: boolean; outputDir?: string },
): Array<{ to: string; text: string }> {
  if (options.inPlace) return files.filter((f) => f.fixed !== f.original).map((f) => ({ to: f.file, text: f.fixed }));
  if (options.outputDir === undefined) return [];
  const dir = options.outputDir;
  const directories = paths.filter((p) => p !== '-' && fs.existsSync(p) && fs.statSync(p).isDirectory());
  const targets = new Map<string, string>();
  const out: Array<{ to: string; text: string }> = [];
  for (const f of files) {
    const within = directories.find((d) => !path.relative(d, f.file).startsWith('..'));
    const to = path.join(dir, f.file === '-' ? 'stdin.yaml' : within !== undefined ? path.relative(within, f.file) : path.basename(f.file));
    if (f.file !== '-' && path.resolve(to) === path.resolve(f.file)) throw new UsageError(`--output-dir would overwrite ${f.file}: use --in-place to rewrite files`);
    const other = targets.get(path.resolve(to));
    if (other !== undefined) throw new UsageError(`--output-dir: ${other} and ${f.file} would both be written to ${to}`);
    targets.set(path.resolve(to), f.file);
    out.push({ to, text: f.fixed });
  }
  return out;
}

/** `--policy` (or its alias `--config`), else the nearest policy file found up the tree; both at once is ambiguous. */
function policyOf(paths: readonly string[], options: { policy?: string; config?: string }): HardenedConfig {
  if (options.policy !== undefined && options.config !== undefined && options.policy !== options.config) {
    throw new UsageError('--policy and --config name the same setting (--config is its alias): give one');
  }
  const file = options.policy ?? options.config ?? findPolicyFile(paths);
  return file ? loadConfig(file) : {};
}

/** The policy and the flags of a command, validated (shared by check, report and fix). */
function runFlags(paths: readonly string[], options: SelectionOptions): { config: HardenedConfig; flags: RunFlags } {
  const config = policyOf(paths, options);
  const flags: RunFlags = {
    level: options.level,
    minSeverity: options.minSeverity ? parseSeverity(options.minSeverity) : undefined,
    rules: options.rule,
    skip: options.skip,
    namespace: options.namespace,
    kubernetesVersion: options.kubernetesVersion?.trim(),
    externalNamespaces: options.externalNamespaces === undefined ? undefined : externalNamespacesFlag(options.externalNamespaces),
    partial: options.partial,
    ...(options.peerExemptions ? { peerExemptions: true } : {}),
    ...(options.today !== undefined ? { today: checkedToday(options.today) } : {}),
  };
  if (flags.kubernetesVersion !== undefined) {
    const error = kubernetesVersionError(flags.kubernetesVersion);
    if (error) throw new UsageError(`--kubernetes-version: ${error}`);
  }
  if (flags.namespace !== undefined) {
    const error = namespaceNameError(flags.namespace);
    if (error) throw new UsageError(`--namespace: ${error}`);
  }
  return { config, flags };
}

async function scanWith(paths: string[], options: SelectionOptions, io: CliIo) {
  const { config, flags } = runFlags(paths, options);
  const bar = options.progress && ProgressBar.shouldShow(io.stderr, io.env) ? new ProgressBar(io.stderr) : undefined;
  try {
    return await scan(paths, {
      config,
      flags,
      readStdin: io.readStdin,
      scanReports: options.scanReport,
      onProgress: bar ? (done, total) => bar.update(done, total) : undefined,
    });
  } finally {
    bar?.done();
  }
}

/** `--external-namespaces a,b` or `*`: validated like the config key. */
function externalNamespacesFlag(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const error = externalNamespacesError(names);
  if (error) throw new UsageError(`--external-namespaces: ${error}`);
  return names;
}

function checkedToday(today: string): string {
  const error = clockError(today);
  if (error) throw new UsageError(`--today: ${error}`);
  return today;
}

function emit(text: string, output: string | undefined, io: CliIo) {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    fs.writeFileSync(output, text);
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${(e as Error).message}`);
  }
}

function warnUnused(unused: readonly Exemption[], io: CliIo) {
  for (const e of unused) io.stderr.write(`warning: ${unusedExemptionText(e)}\n`);
}

/** Objects no rule judged (one line each) and how the input was read: machine formats carry them on stderr. */
function reportNotesOnStderr(report: CheckReport, io: CliIo) {
  for (const o of unjudgedObjects(report)) io.stderr.write(`note: ${o.file ? `${problemText({ file: o.file, line: o.line, message: unjudgedText(o) })}` : unjudgedText(o)}\n`);
  for (const note of report.result.notes ?? []) io.stderr.write(`note: ${note}\n`);
  for (const f of report.result.warnings ?? []) io.stderr.write(`${warningText(f)}\n`);
}

/** Machine formats keep stdout parseable; problems go to stderr too so a human sees why the exit code is 2. */
function reportProblemsOnStderr(problems: readonly InputProblem[], io: CliIo) {
  for (const p of problems) io.stderr.write(`error: ${problemText(p)}\n`);
}
