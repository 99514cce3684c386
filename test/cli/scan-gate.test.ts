import * as path from 'path';
import { cli, tempDir, write } from './helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const WORKLOADS = path.join(FIXTURES, 'inventory', 'workloads.yaml');
const report = (name: string) => path.join(FIXTURES, 'scan-reports', name);
const GATE = ['--rule', 'image-known-vulnerabilities'];
const WEB_ONLY = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: registry.example.com/shop/web@sha256:${'2'.repeat(64)}
`;

describe('check --scan-report', () => {
  const dir = tempDir();
  const web = write(dir, 'web.yaml', WEB_ONLY);

  test('every format, repeatable: findings name the ids and the fixes, exit 1', async () => {
    const run = await cli(['check', WORKLOADS, ...GATE, '--format', 'json',
      '--scan-report', report('web.trivy.json'), '--scan-report', report('migrate.grype.json'),
      '--scan-report', report('models.sarif'), '--scan-report', report('aws-cli.trivy.json')]);
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(run.stdout);
    expect(findings.map((f: any) => `${f.name} ${f.path}`)).toEqual([
      'web spec.template.spec.containers[0].image',
      'web spec.template.spec.initContainers[0].image',
      'web spec.template.spec.volumes[0].image.reference',
      'nightly spec.jobTemplate.spec.template.spec.containers[0].image',
      'nightly spec.jobTemplate.spec.template.spec.containers[1].image',
      'debug spec.containers[0].image',
      'debug spec.ephemeralContainers[0].image',
      'canary spec.template.spec.containers[0].image',
    ]);
    expect(findings[4].message).toContain('CVE-2099-0301 (critical in example-libs 1.0.2k-24, fixed in 1.0.2k-26); matched by tag 2.17.0 only');
  });

  test('the config sets the gate severity', async () => {
    const clean = await cli(['check', web, ...GATE, '--scan-report', report('web.trivy.json')]);
    expect(clean.code).toBe(1);
    const critical = write(dir, 'crit.json', JSON.stringify({ SchemaVersion: 2, ArtifactName: `registry.example.com/shop/web@sha256:${'2'.repeat(64)}`, Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-2099-7', Severity: 'HIGH' }] }] }));
    expect((await cli(['check', web, ...GATE, '--scan-report', critical])).code).toBe(0);
    const config = write(dir, 'high.yaml', 'vulnerabilitySeverity: high\n');
    const high = await cli(['check', web, ...GATE, '--scan-report', critical, '--config', config]);
    expect(high.code).toBe(1);
    expect(high.stdout).toContain('1 known vulnerability at or above high');
    const bad = write(dir, 'bad-config.yaml', 'vulnerabilitySeverity: severe\n');
    const refused = await cli(['check', web, ...GATE, '--config', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('vulnerabilitySeverity: must be one of "critical", "high", "medium", "low"');
  });

  test('a report that matches no image of the manifests is noted as stale', async () => {
    const run = await cli(['check', web, ...GATE, '--scan-report', report('web.trivy.json'), '--scan-report', report('migrate.grype.json'), '--scan-report', report('aws-cli.trivy.json')]);
    expect(run.stdout).toContain(`scan report ${report('migrate.grype.json')} describes registry.example.com/shop/migrate@sha256:${'1'.repeat(64)}, which no manifest runs (by digest): a stale report?`);
    expect(run.stdout).toContain(`scan report ${report('aws-cli.trivy.json')} describes amazon/aws-cli:2.17.0, which no manifest runs (by digest or tag): a stale report?`);
    expect(run.stdout).not.toContain(`scan report ${report('web.trivy.json')} describes`);
  });

  test('without a report the gate does not run, and the output says so', async () => {
    const run = await cli(['check', web, ...GATE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('image-known-vulnerabilities did not run: no --scan-report was given');
  });

  test('bad or unknown reports are input problems (exit 2) naming the file', async () => {
    const unknown = write(dir, 'cdx.json', '{"bomFormat":"CycloneDX","specVersion":"1.6"}');
    const broken = write(dir, 'broken.json', '{"matches": [');
    const run = await cli(['check', web, ...GATE, '--scan-report', unknown, '--scan-report', broken, '--scan-report', path.join(dir, 'missing.json'), '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`scan report ${unknown}: unknown format`);
    expect(run.stderr).toContain(`scan report ${broken}: not valid JSON`);
    expect(run.stderr).toContain('cannot read scan report');
  });
});
