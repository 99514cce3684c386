/**
 * One scan, shared by `check`, `report` and the cdk8s validation plugin: load the manifests, run the
 * engine, apply config exemptions, and decide the exit code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { appliedSet } from './applied';
import { HardenedConfig, RunFlags, engineOptions, policyExemptions, UsageError } from './config';
import { checkObjects, selectRules } from './engine';
import { applyExemptions, Exemption } from './exemptions';
import { loadPaths, LoadOptions, LoadResult } from './load';
import { relaxationsOf, relaxationText } from './relaxations';
import { imageInventory } from '../analysis/images/image-inventory';
import { parseScanReport, ScanReportError, ScannedImage } from '../analysis/images/scan-reports';
import type { CheckInput, CheckResult, InputProblem } from '../core/types';
import { todayUtc } from '../core/waiver-judgement';
import type { Rule } from '../rules/rule';

const KNOWN_VULNERABILITIES = 'image-known-vulnerabilities';

export interface ScanOptions extends LoadOptions {
  readonly config?: HardenedConfig;
  readonly flags?: RunFlags;
  /** Image scanners' reports for the scan gate (`--scan-report`, repeatable). @default - the gate does not run */
  readonly scanReports?: readonly string[];
}

export interface Scan {
  readonly report: CheckReport;
  /** Config exemptions that matched nothing (stale entries). */
  readonly unusedExemptions: Exemption[];
  readonly bytes: number;
}


/** What every reporter renders: the engine's result plus the objects judged, the rules that ran and the tool version. */
export interface CheckReport {
  readonly result: CheckResult;
  /** The objects that were judged (for per-object output such as JUnit test cases). */
  readonly inputs: readonly CheckInput[];
  /** Catalog entries of the rules that ran, in catalog order. */
  readonly rules: readonly Rule[];
  /** Version of cdk8s-hardened that produced the report. */
  readonly toolVersion: string;
}

/** Exit codes of every command that judges manifests. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

export async function scan(paths: readonly string[], options: ScanOptions = {}): Promise<Scan> {
  return judgeLoaded(() => loadPaths(paths, options), options);
}

/**
 * The scan of what `load` read: the same judgement as `check` for input that is not read from disk (`fix` judges
 * its output before writing it). `load` runs after the rule selection, so a usage error comes first.
 */
export async function judgeLoaded(load: () => Promise<LoadResult> | LoadResult, options: ScanOptions = {}): Promise<Scan> {
  const config = options.config ?? {};
  const engine = engineOptions(config, options.flags ?? {});
  let rules;
  try {
    rules = selectRules(engine);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // One reading of the clock for the engine's waivers and the policy's exemptions.
  const today = todayUtc(engine.today);
  const reports = readScanReports(options.scanReports);
  const withReports = { ...engine, today, ...(reports.images ? { settings: { ...engine.settings, scanReports: reports.images } } : {}) };
  const loaded = await load();
  // Judge what kubectl applies: namespaces as `kubectl apply -n` fills them, the last of duplicates.
  const applied = appliedSet(loaded.inputs, { namespace: options.flags?.namespace ?? config.namespace });
  const judged = checkObjects(applied.inputs, withReports);
  const judgement = { governance: config.waiverGovernance, today };
  const { result, unused } = applyExemptions(judged, policyExemptions(config), config.lockedRules, judgement);
  // Under `unused: error` a stale config exemption fails the run like a stale annotation does.
  const unusedProblems: InputProblem[] = config.waiverGovernance?.unused === 'error'
    ? unused.map((e) => ({ message: `${unusedExemptionText(e)} (the waiver governance makes unused waivers errors)` }))
    : [];
  const origin = config.source ? `policy ${config.source} and flags` : 'flags';
  const reasons = new Map((config.overrides ?? []).filter((o) => o.disable).map((o) => [o.ruleId, o.reason]));
  const relaxed = [
    ...relaxationsOf(engine, origin, reasons).map(relaxationText),
    ...(config.grants ?? []).map((g) => `policy grant ${g.name}: namespace ${g.namespace} is judged ${[g.level === 'baseline' ? 'at baseline' : '', (g.disable ?? []).length > 0 ? `without ${g.disable!.join(', ')}` : ''].filter(Boolean).join(' and ')} (${g.reason})`),
  ];
  const merged: CheckResult = {
    ...result,
    problems: [...reports.problems, ...loaded.problems, ...applied.problems, ...result.problems, ...unusedProblems],
    notes: [...(result.notes ?? []), ...applied.notes, ...gateNotes(rules, reports.images, applied.inputs), ...relaxed],
  };
  return {
    report: { result: merged, inputs: applied.inputs, rules, toolVersion: toolVersion() },
    unusedExemptions: unused,
    bytes: loaded.bytes,
  };
}

/** The sentence that says a config exemption matched no finding. */
export function unusedExemptionText(e: Exemption): string {
  const selector = [e.kind && `kind=${e.kind}`, e.namespace && `namespace=${e.namespace}`, e.name && `name=${e.name}`].filter(Boolean).join(' ');
  return `config exemption for ${e.ruleId} (${selector || 'every object'}) matched no finding; delete it if it is stale`;
}

/** Reads every scan report; one that cannot be read is an input problem (exit 2), never an empty report. */
function readScanReports(files: readonly string[] | undefined): { images?: ScannedImage[]; problems: InputProblem[] } {
  if (files === undefined || files.length === 0) return { problems: [] };
  const images: ScannedImage[] = [];
  const problems: InputProblem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, message: `cannot read scan report ${file}: ${(e as Error).message}` });
      continue;
    }
    try {
      images.push(...parseScanReport(text, file));
    } catch (e) {
      if (!(e instanceof ScanReportError)) throw e;
      problems.push({ file, message: e.message });
    }
  }
  return { images, problems };
}

/** The scan gate without reports judges nothing: say so rather than let a clean run read as "no vulnerabilities". */
function gateNotes(rules: readonly { id: string }[], images: readonly ScannedImage[] | undefined, inputs: readonly CheckInput[]): string[] {
  if (!rules.some((r) => r.id === KNOWN_VULNERABILITIES)) return [];
  if (images === undefined) return [`${KNOWN_VULNERABILITIES} did not run: no --scan-report was given, so no image was judged for known vulnerabilities`];
  // A report no manifest image matches is usually stale (the image was rebuilt): say so, it judged nothing.
  const used = imageInventory(inputs).images;
  const digests = new Set(used.flatMap((i) => (i.digest ? [i.digest] : [])));
  const tags = new Set(used.flatMap((i) => (i.tag ? [`${i.registry}/${i.repository}:${i.tag}`] : [])));
  return images
    .filter((r) => !r.digests.some((d) => digests.has(d)) && !(r.digests.length === 0 && r.tagged.some((t) => tags.has(`${t.registry}/${t.repository}:${t.tag}`))))
    .map((r) => `scan report ${r.file} describes ${r.artifact}, which no manifest runs (by digest${r.digests.length === 0 ? ' or tag' : ''}): a stale report?`);
}

/**
 * 2 when any input could not be judged (even if there are findings too: a partial scan must never read as
 * a verdict), 1 when there are findings, 0 when everything was judged and passed.
 */
export function exitCodeOf(result: CheckResult): number {
  if (result.problems.length > 0) return EXIT_INPUT;
  if (result.findings.length > 0) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

let cachedVersion: string | undefined;

/** The package version (package.json is two folders up from both src/cli and lib/cli). */
export function toolVersion(): string {
  if (!cachedVersion) {
    try {
      cachedVersion = String(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}
