import * as fs from 'fs';
import * as path from 'path';
import { parseScanReport, ScannedImage } from '../../../src/analysis/images/scan-reports';
import { Severity } from '../../../src/core/types';
import { parseManifests } from '../../../src/engine/load';
import { container, DIGEST, deployment, run } from '../../supply-chain/fixtures';

const ID = 'image-known-vulnerabilities';
const REPORTS = path.join(__dirname, '..', '..', 'fixtures', 'scan-reports');
const report = (name: string) => parseScanReport(fs.readFileSync(path.join(REPORTS, name), 'utf8'), name);
const WEB = `registry.example.com/shop/web:1.4.2@sha256:${'2'.repeat(64)}`;

function scanned(overrides: Partial<ScannedImage> = {}): ScannedImage {
  return {
    file: 'r.json',
    format: 'trivy',
    artifact: 'registry.example.com/team/app',
    digests: [DIGEST],
    tagged: [],
    vulnerabilities: [{ id: 'CVE-2099-1000', severity: Severity.CRITICAL, packageName: 'libx', installedVersion: '1.0', fixedVersions: ['1.1'] }],
    ...overrides,
  };
}

describe('image-known-vulnerabilities', () => {
  test('without scan reports the rule judges nothing', () => {
    expect(run(ID, [deployment()]).findings).toEqual([]);
  });

  test('an image whose report lists a critical vulnerability fails, naming the id and the fixed version', () => {
    const result = run(ID, [deployment()], { settings: { scanReports: [scanned()] } });
    expect(result.findings.map((f) => [f.kind, f.name, f.path, f.message])).toEqual([
      [
        'Deployment',
        'web',
        'spec.template.spec.containers[0].image',
        `image "registry.example.com/team/app@${DIGEST}" of container "app" has 1 known vulnerability at or above critical in r.json (trivy): CVE-2099-1000 (critical in libx 1.0, fixed in 1.1)`,
      ],
    ]);
  });

  test('below the gate severity passes; the config lowers the gate', () => {
    const high = scanned({ vulnerabilities: [{ id: 'CVE-2099-2000', severity: Severity.HIGH, fixedVersions: [] }, { id: 'CVE-2099-2001', fixedVersions: [] }] });
    expect(run(ID, [deployment()], { settings: { scanReports: [high] } }).findings).toEqual([]);
    const lowered = run(ID, [deployment()], { settings: { scanReports: [high], vulnerabilitySeverity: Severity.HIGH } });
    // A vulnerability without a known severity never counts as at or above a threshold.
    expect(lowered.findings.map((f) => f.message)).toEqual([
      `image "registry.example.com/team/app@${DIGEST}" of container "app" has 1 known vulnerability at or above high in r.json (trivy): CVE-2099-2000 (high, no fixed version listed)`,
    ]);
  });

  test('a clean report passes; an image no report covers fails (an unscanned image must not pass the gate)', () => {
    expect(run(ID, [deployment()], { settings: { scanReports: [scanned({ vulnerabilities: [] })] } }).findings).toEqual([]);
    const other = run(ID, [deployment()], { settings: { scanReports: [scanned({ digests: [`sha256:${'cd'.repeat(32)}`] })] } });
    expect(other.findings.map((f) => f.message)).toEqual([
      `image "registry.example.com/team/app@${DIGEST}" of container "app" is in no scan report (none names its digest ${DIGEST}), so the gate cannot judge it`,
    ]);
  });

  test('a report naming the image by tag only is matched by tag, and the finding says so', () => {
    const tagged = deployment({ containers: [container({ image: 'registry.example.com/team/app:2.0' })] });
    const byTag = scanned({ digests: [], tagged: [{ registry: 'registry.example.com', repository: 'team/app', tag: '2.0' }] });
    const result = run(ID, [tagged], { settings: { scanReports: [byTag] } });
    expect(result.findings.map((f) => f.message)).toEqual([
      'image "registry.example.com/team/app:2.0" of container "app" has 1 known vulnerability at or above critical in r.json (trivy): CVE-2099-1000 (critical in libx 1.0, fixed in 1.1); matched by tag 2.0 only: the report names no digest of this image, so it may describe other content than what runs',
    ]);
    // A report with a digest describes that content only: the same tag with another digest is not this image.
    const otherDigest = { ...byTag, digests: [`sha256:${'cd'.repeat(32)}`] };
    expect(run(ID, [tagged], { settings: { scanReports: [otherDigest] } }).findings.map((f) => f.message)).toEqual([
      'image "registry.example.com/team/app:2.0" of container "app" is in no scan report (none names its tag 2.0, and it has no digest), so the gate cannot judge it',
    ]);
  });

  test('Trivy, Grype and SARIF reports join the images of init containers, image volumes and CronJobs by digest', () => {
    const objects = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'inventory', 'workloads.yaml'), 'utf8');
    const inputs = parseManifests(objects, 'workloads.yaml').inputs.map((i) => i.object);
    const scanReports = [...report('web.trivy.json'), ...report('migrate.grype.json'), ...report('models.sarif'), ...report('aws-cli.trivy.json')];
    const result = run(ID, inputs, { settings: { scanReports } });
    const byPath = Object.fromEntries(result.findings.map((f) => [`${f.name} ${f.path}`, f.message]));
    expect(byPath['web spec.template.spec.containers[0].image']).toContain(`image "${WEB}" of container "app" has 2 known vulnerabilities at or above critical in web.trivy.json (trivy): CVE-2099-0001 (critical in libexample3 3.0.11-1~deb12u2, fixed in 3.0.15-1~deb12u1); GHSA-xxxx-yyyy-zzzz (critical in example-http 4.18.0, fixed in 4.19.2, 5.0.1)`);
    expect(byPath['nightly spec.jobTemplate.spec.template.spec.containers[0].image']).toContain('CVE-2099-0001');
    expect(byPath['web spec.template.spec.initContainers[0].image']).toContain('migrate.grype.json (grype): CVE-2099-0101 (critical in libexample6 2.36-9+deb12u4, fixed in 2.36-9+deb12u9)');
    expect(byPath['web spec.template.spec.volumes[0].image.reference']).toContain('of image volume "models" has 1 known vulnerability at or above critical in models.sarif (sarif:Trivy): CVE-2099-0201 (critical in libmodel 0.9.1-2, fixed in 0.9.4-1)');
    expect(byPath['nightly spec.jobTemplate.spec.template.spec.containers[1].image']).toContain('matched by tag 2.17.0 only');
    expect(byPath['canary spec.template.spec.containers[0].image']).toContain('is in no scan report');
    expect(result.findings).toHaveLength(8);
  });

  test('a waiver on the workload is honoured', () => {
    const waived = deployment({ annotations: { 'hardened.cdk8s.io/waivers': JSON.stringify([{ ruleId: ID, reason: 'fix ships in the next release, tracked' }]) } });
    const result = run(ID, [waived], { settings: { scanReports: [scanned()] } });
    expect(result.findings).toEqual([]);
    expect(result.waived).toHaveLength(1);
  });
});
