/**
 * Image scanners' results, read into one shape for the scan gate (rule image-known-vulnerabilities): Trivy JSON
 * (`trivy image --format json`, SchemaVersion 2), Grype JSON (`grype -o json`) and SARIF 2.1.0 from any scanner
 * that names the scanned image in its run properties (as `trivy --format sarif` does).
 *
 * Each scanned image is identified by its digest when the report gives one (RepoDigests, manifestDigest, an
 * `@sha256:` reference) and otherwise by its tag; the gate joins reports to the manifests' images by digest and
 * says so when it could only match a tag. Anything the reader cannot place is an error, never an empty report.
 */
import { ImageReference, tryParseImageReference } from './image-reference';
import { Severity } from '../../core/types';

/** One vulnerability of a scanned image. */
export interface ScannedVulnerability {
  /** CVE (or GHSA, ...) id as the scanner names it. */
  readonly id: string;
  /** The scanner's severity; undefined when it gives none or `unknown`. */
  readonly severity?: Severity;
  readonly packageName?: string;
  readonly installedVersion?: string;
  /** Versions that fix it, when the report gives them. */
  readonly fixedVersions: readonly string[];
}

/** One image a report describes. */
export interface ScannedImage {
  /** The report file. */
  readonly file: string;
  /** `trivy`, `grype` or `sarif:<tool name>`. */
  readonly format: string;
  /** The image as the report names it. */
  readonly artifact: string;
  /** Digests the report says the image has (manifest or index digests), `algorithm:hex`. */
  readonly digests: readonly string[];
  /** References by tag the report names (used only when no digest matches). */
  readonly tagged: readonly ImageReference[];
  readonly vulnerabilities: readonly ScannedVulnerability[];
}

/** A report that cannot be read: an input problem naming the file. */
export class ScanReportError extends Error {
  constructor(
    public readonly file: string,
    reason: string,
  ) {
    super(`scan report ${file}: ${reason}`);
    this.name = 'ScanReportError';
  }
}

type Json = Record<string, unknown>;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Parses a report's text; throws {@link ScanReportError} for bad JSON or a format it does not know. */
export function parseScanReport(text: string, file: string): ScannedImage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScanReportError(file, `not valid JSON (${(e as Error).message}); expected Trivy JSON, Grype JSON or SARIF 2.1.0`);
  }
  const fail = (reason: string): never => {
    throw new ScanReportError(file, reason);
  };
  if (!isJson(value)) return fail('expected a JSON object (Trivy JSON, Grype JSON or SARIF 2.1.0)');
  if (Array.isArray(value.runs) && (value.version === '2.1.0' || String(value.$schema ?? '').includes('sarif'))) return sarif(value, file, fail);
  if (value.SchemaVersion !== undefined && (value.ArtifactName !== undefined || value.Results !== undefined)) return [trivy(value, file, fail)];
  if (Array.isArray(value.matches) && isJson(value.source)) return [grype(value, file, fail)];
  return fail('unknown format: expected Trivy JSON (SchemaVersion, ArtifactName, Results), Grype JSON (matches, source) or SARIF 2.1.0 (version, runs)');
}

/** Severity names of the scanners (Trivy upper-case, Grype capitalised); `unknown`/`negligible` rank below low. */
function severityOf(name: unknown): Severity | undefined {
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  return ([Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW] as string[]).includes(lower) ? (lower as Severity) : undefined;
}

/** Digests and tagged references of an image, from the references a report lists. */
function identity(references: readonly unknown[], digests: readonly unknown[], fail: (reason: string) => never): Pick<ScannedImage, 'digests' | 'tagged'> {
  const found = new Set<string>();
  const tagged: ImageReference[] = [];
  for (const raw of references) {
    const text = str(raw);
    if (!text) continue;
    const parsed = tryParseImageReference(text);
    if (!parsed.ok) fail(`names image "${text}", which is not an image reference: ${parsed.error}`);
    const reference = (parsed as { reference: ImageReference }).reference;
    const known = (t: ImageReference) => t.registry === reference.registry && t.repository === reference.repository && t.tag === reference.tag;
    if (reference.digest) {
      found.add(reference.digest);
    } else if (reference.tag && !tagged.some(known)) {
      tagged.push(reference);
    }
  }
  for (const raw of digests) {
    const digest = str(raw);
    if (digest && /^sha(256|384|512):[0-9a-f]+$/.test(digest)) found.add(digest);
  }
  return { digests: [...found].sort(), tagged };
}

function trivy(report: Json, file: string, fail: (reason: string) => never): ScannedImage {
  if (report.SchemaVersion !== 2) fail(`Trivy SchemaVersion ${JSON.stringify(report.SchemaVersion)} is not supported (expected 2)`);
  const artifact = str(report.ArtifactName) ?? fail('Trivy report has no ArtifactName (the scanned image)');
  if (report.ArtifactType !== undefined && report.ArtifactType !== 'container_image') {
    fail(`Trivy ArtifactType is ${JSON.stringify(report.ArtifactType)}: the scan gate needs image scans (\`trivy image --format json\`)`);
  }
  if (!Array.isArray(report.Results) && report.Results !== undefined) fail('Trivy Results must be a list');
  const metadata = isJson(report.Metadata) ? report.Metadata : {};
  const vulnerabilities: ScannedVulnerability[] = [];
  list(report.Results).forEach((result, i) => {
    if (!isJson(result)) fail(`Results[${i}] is not an object`);
    list((result as Json).Vulnerabilities).forEach((v, j) => {
      if (!isJson(v) || !str(v.VulnerabilityID)) fail(`Results[${i}].Vulnerabilities[${j}] has no VulnerabilityID`);
      const vuln = v as Json;
      vulnerabilities.push({
        id: vuln.VulnerabilityID as string,
        severity: severityOf(vuln.Severity),
        packageName: str(vuln.PkgName),
        installedVersion: str(vuln.InstalledVersion),
        // Trivy joins several fixed versions with ", ".
        fixedVersions: (str(vuln.FixedVersion) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
      });
    });
  });
  return {
    file,
    format: 'trivy',
    artifact,
    ...identity([artifact, ...list(metadata.RepoDigests), ...list(metadata.RepoTags)], [], fail),
    vulnerabilities,
  };
}

function grype(report: Json, file: string, fail: (reason: string) => never): ScannedImage {
  const source = report.source as Json;
  if (source.type !== 'image') fail(`Grype source.type is ${JSON.stringify(source.type)}: the scan gate needs image scans (\`grype <image> -o json\`)`);
  const target = isJson(source.target) ? source.target : fail('Grype source.target is missing');
  const artifact = str(target.userInput) ?? fail('Grype source.target.userInput (the scanned image) is missing');
  const vulnerabilities = list(report.matches).map((m, i): ScannedVulnerability => {
    if (!isJson(m) || !isJson(m.vulnerability) || !str(m.vulnerability.id)) fail(`matches[${i}] has no vulnerability.id`);
    const match = m as Json;
    const vuln = match.vulnerability as Json;
    const pkg = isJson(match.artifact) ? match.artifact : {};
    const fix = isJson(vuln.fix) ? vuln.fix : {};
    return {
      id: vuln.id as string,
      severity: severityOf(vuln.severity),
      packageName: str(pkg.name),
      installedVersion: str(pkg.version),
      fixedVersions: list(fix.versions).filter((s): s is string => typeof s === 'string' && s !== ''),
    };
  });
  return {
    file,
    format: 'grype',
    artifact,
    ...identity([artifact, ...list(target.repoDigests), ...list(target.tags)], [target.manifestDigest], fail),
    vulnerabilities,
  };
}

/** GitHub's mapping of a CVSS `security-severity` score to a severity. */
function severityOfScore(score: unknown): Severity | undefined {
  const n = typeof score === 'number' ? score : typeof score === 'string' && score.trim() !== '' ? Number(score) : NaN;
  if (!Number.isFinite(n)) return undefined;
  if (n >= 9) return Severity.CRITICAL;
  if (n >= 7) return Severity.HIGH;
  if (n >= 4) return Severity.MEDIUM;
  return n > 0 ? Severity.LOW : undefined;
}

/** SARIF result levels, for results without a security-severity score. */
const LEVEL_SEVERITY: Record<string, Severity> = { error: Severity.HIGH, warning: Severity.MEDIUM, note: Severity.LOW };

function sarif(report: Json, file: string, fail: (reason: string) => never): ScannedImage[] {
  if (report.version !== '2.1.0') fail(`SARIF version ${JSON.stringify(report.version)} is not supported (expected 2.1.0)`);
  return list(report.runs).map((r, i) => {
    if (!isJson(r)) return fail(`runs[${i}] is not an object`);
    const run = r;
    const driver = isJson(run.tool) && isJson(run.tool.driver) ? run.tool.driver : {};
    const tool = str(driver.name) ?? 'unknown';
    const properties = isJson(run.properties) ? run.properties : {};
    const artifact =
      str(properties.imageName) ??
      str(list(properties.repoDigests)[0]) ??
      fail(`runs[${i}] (${tool}) names no image: the scan gate needs run.properties.imageName or repoDigests (as Trivy writes them)`);
    const rules = new Map<string, Json>();
    for (const rule of list(driver.rules)) if (isJson(rule) && str(rule.id)) rules.set(rule.id as string, rule);
    const vulnerabilities = list(run.results).map((x, j): ScannedVulnerability => {
      if (!isJson(x) || !str(x.ruleId)) return fail(`runs[${i}].results[${j}] has no ruleId (the vulnerability id)`);
      const result = x;
      const rule = rules.get(result.ruleId as string) ?? {};
      const resultProps = isJson(result.properties) ? result.properties : {};
      const ruleProps = isJson(rule.properties) ? rule.properties : {};
      const text = isJson(result.message) ? (str(result.message.text) ?? '') : '';
      // Trivy writes the package facts as "Key: value" lines of the message.
      const line = (key: string) => new RegExp(`^${key}: *(.+)$`, 'm').exec(text)?.[1]?.trim();
      const level = str(result.level) ?? (isJson(rule.defaultConfiguration) ? str(rule.defaultConfiguration.level) : undefined) ?? 'warning';
      const fixed = str(resultProps.fixedVersion) ?? line('Fixed Version');
      return {
        id: result.ruleId as string,
        severity: severityOfScore(resultProps['security-severity']) ?? severityOfScore(ruleProps['security-severity']) ?? LEVEL_SEVERITY[level],
        packageName: str(resultProps.packageName) ?? line('Package'),
        installedVersion: str(resultProps.installedVersion) ?? line('Installed Version'),
        fixedVersions: fixed ? fixed.split(',').map((s) => s.trim()).filter((s) => s !== '') : [],
      };
    });
    return {
      file,
      format: `sarif:${tool}`,
      artifact,
      ...identity([artifact, ...list(properties.repoDigests), ...list(properties.repoTags)], [], fail),
      vulnerabilities,
    };
  });
}
