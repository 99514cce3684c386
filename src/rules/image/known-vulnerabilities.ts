import { containerImages } from '../../analysis/images/container-images';
import { formatImageReference, ImageReference } from '../../analysis/images/image-reference';
import type { ScannedImage, ScannedVulnerability } from '../../analysis/images/scan-reports';
import { addToGroup } from '../../core/group-by';
import { Severity, severityRank } from '../../core/types';
import { WORKLOAD_KINDS } from '../../core/workload-kinds';
import { setRule } from '../rule';

/** The scan gate: images whose scan reports list known vulnerabilities at or above the configured severity. */
export default setRule({
  id: 'image-known-vulnerabilities',
  title: 'Images must have no known vulnerabilities at or above the gate severity',
  area: 'image',
  severity: Severity.CRITICAL,
  level: 'restricted',
  kinds: WORKLOAD_KINDS,
  rationale:
    'An image with a known, exploitable vulnerability gives an attacker a ready-made way in, and the scanners already know which images have one. The rule joins image scanners\' reports (Trivy JSON, Grype JSON, SARIF, given with `check --scan-report FILE`) to the images the manifests run, by digest; a report that names the image by tag only is matched by tag, and the finding says so, because a tag may have moved since the scan. It reports every image with vulnerabilities at or above `vulnerabilitySeverity` in the config (default critical), naming the vulnerability ids and the fixed versions the report gives, and every image that no report covers (an unscanned image must not pass the gate). Without any `--scan-report` the rule does not run: it reports nothing and the CLI says so in a note.',
  remediation:
    'Rebuild the image with the fixed package versions (or a patched base image), push it, and pin the new digest; then scan it again (`trivy image --format json -o report.json <image>@<digest>`) and pass the report with `--scan-report`.',
  references: {
    nsa: 'Supply chain: scan images for vulnerabilities and misconfigurations before deployment',
    links: ['https://trivy.dev/latest/docs/configuration/reporting/', 'https://github.com/anchore/grype#output-formats'],
  },
  notAtAdmission: 'it needs the scanners\' reports, which the API server does not see; run the gate in the pipeline (`check --scan-report`)',
  check(context) {
    const reports = context.settings.scanReports;
    if (reports === undefined) return [];
    const threshold = severityRank(context.settings.vulnerabilitySeverity ?? Severity.CRITICAL);
    const byDigest = new Map<string, ScannedImage[]>();
    for (const report of reports) for (const digest of report.digests) addToGroup(byDigest, digest, report);
    const gate = context.settings.vulnerabilitySeverity ?? Severity.CRITICAL;

    return context.index.pods().flatMap((pod) =>
      containerImages(pod).flatMap((image) => {
        const reference = image.reference;
        // A missing or invalid image is reported by the other image rules and the shape checks.
        if (!reference) return [];
        const name = formatImageReference(reference);
        let matched = reference.digest !== undefined ? (byDigest.get(reference.digest) ?? []) : [];
        let byTag = false;
        if (matched.length === 0 && reference.tag !== undefined) {
          // Only a report that names no digest at all: one whose digest differs describes other content.
          matched = reports.filter((r) =>
            r.digests.length === 0 && r.tagged.some((t) => sameTag(t, reference)),
          );
          byTag = matched.length > 0;
        }
        if (matched.length === 0) {
          return [
            {
              object: pod.owner.object,
              path: image.path,
              message: `image "${name}" of ${image.owner} is in no scan report (${unmatchedText(reference.digest, reference.tag)}), so the gate cannot judge it`,
              remediation: `Scan the image (\`trivy image --format json -o report.json ${name}\`) and pass the report with --scan-report.`,
            },
          ];
        }
        const atGate = (v: ScannedVulnerability) => v.severity !== undefined && severityRank(v.severity) >= threshold;
        const found = dedupe(matched.flatMap((r) => r.vulnerabilities)).filter(atGate);
        if (found.length === 0) return [];
        const files = [...new Set(matched.map((r) => `${r.file} (${r.format})`))].join(', ');
        const tagNote = byTag
          ? `; matched by tag ${reference.tag} only: the report names no digest of this image, so it may describe other content than what runs`
          : '';
        return [
          {
            object: pod.owner.object,
            path: image.path,
            message: `image "${name}" of ${image.owner} has ${found.length} known vulnerabilit${found.length === 1 ? 'y' : 'ies'} at or above ${gate} in ${files}: ${found.map(vulnerabilityText).join('; ')}${tagNote}`,
          },
        ];
      }),
    );
  },
});

function sameTag(a: ImageReference, b: ImageReference): boolean {
  return a.registry === b.registry && a.repository === b.repository && a.tag === b.tag;
}

function unmatchedText(digest: string | undefined, tag: string | undefined): string {
  if (digest && tag) return `none names its digest ${digest}, nor its tag ${tag} without a digest`;
  if (digest) return `none names its digest ${digest}`;
  if (tag) return `none names its tag ${tag}, and it has no digest`;
  return 'it has neither a digest nor a tag to match a report by';
}

/** One line per vulnerability: id, severity, package and the fix the report gives. */
function vulnerabilityText(v: ScannedVulnerability): string {
  const pkg = v.packageName ? ` in ${v.packageName}${v.installedVersion ? ` ${v.installedVersion}` : ''}` : '';
  const fix = v.fixedVersions.length > 0 ? `fixed in ${v.fixedVersions.join(', ')}` : 'no fixed version listed';
  return `${v.id} (${v.severity}${pkg}, ${fix})`;
}

/** Several reports (or several runs of one) may list the same finding: keep it once, most severe first, then by id. */
function dedupe(vulns: readonly ScannedVulnerability[]): ScannedVulnerability[] {
  const seen = new Map<string, ScannedVulnerability>();
  for (const v of vulns) {
    const key = `${v.id}\u0000${v.packageName ?? ''}\u0000${v.installedVersion ?? ''}`;
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()].sort(
    (a, b) => severityRank(b.severity!) - severityRank(a.severity!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || ((a.packageName ?? '') < (b.packageName ?? '') ? -1 : 1),
  );
}
