import * as fs from 'fs';
import * as path from 'path';
import { parseScanReport } from '../../src/analysis/images/scan-reports';
import { Severity } from '../../src/core/types';

const REPORTS = path.join(__dirname, '..', 'fixtures', 'scan-reports');
const read = (name: string) => parseScanReport(fs.readFileSync(path.join(REPORTS, name), 'utf8'), name);
const digit = (d: string) => `sha256:${d.repeat(64)}`;

describe('parseScanReport', () => {
  test('Trivy JSON: the digest from RepoDigests, every result, several fixed versions', () => {
    const [image] = read('web.trivy.json');
    expect(image).toMatchObject({ format: 'trivy', artifact: 'registry.example.com/shop/web:1.4.2', digests: [digit('2')] });
    expect(image.tagged).toEqual([{ registry: 'registry.example.com', repository: 'shop/web', tag: '1.4.2', digest: undefined }]);
    expect(image.vulnerabilities.map((v) => [v.id, v.severity, v.fixedVersions])).toEqual([
      ['CVE-2099-0001', Severity.CRITICAL, ['3.0.15-1~deb12u1']],
      ['CVE-2099-0002', Severity.HIGH, []],
      ['CVE-2099-0003', Severity.LOW, []],
      ['GHSA-xxxx-yyyy-zzzz', Severity.CRITICAL, ['4.19.2', '5.0.1']],
    ]);
  });

  test('Grype JSON: the manifest digest, capitalised severities, negligible counts as no severity', () => {
    const [image] = read('migrate.grype.json');
    expect(image).toMatchObject({ format: 'grype', digests: [digit('1')], tagged: [] });
    expect(image.vulnerabilities.map((v) => [v.id, v.severity, v.packageName, v.fixedVersions])).toEqual([
      ['CVE-2099-0101', Severity.CRITICAL, 'libexample6', ['2.36-9+deb12u9']],
      ['CVE-2099-0102', Severity.MEDIUM, 'examplepam', []],
      ['CVE-2099-0103', undefined, 'coreexample', []],
    ]);
  });

  test('SARIF: the image from run properties, severity from security-severity, package facts from the message', () => {
    const [image] = read('models.sarif');
    expect(image).toMatchObject({ format: 'sarif:Trivy', digests: [digit('3')] });
    expect(image.vulnerabilities).toEqual([
      { id: 'CVE-2099-0201', severity: Severity.CRITICAL, packageName: 'libmodel', installedVersion: '0.9.1-2', fixedVersions: ['0.9.4-1'] },
      { id: 'CVE-2099-0202', severity: Severity.MEDIUM, packageName: 'libmodel-extra', installedVersion: '0.9.1-2', fixedVersions: [] },
    ]);
  });

  test('SARIF without a score falls back to the result level', () => {
    const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: 'scanner-x' } }, properties: { imageName: 'quay.io/a/b:1' }, results: [{ ruleId: 'CVE-2099-9', level: 'error', message: { text: 'bad' } }] }] };
    const [image] = parseScanReport(JSON.stringify(sarif), 's.sarif');
    expect(image).toMatchObject({ format: 'sarif:scanner-x', digests: [], tagged: [{ registry: 'quay.io', repository: 'a/b', tag: '1' }] });
    expect(image.vulnerabilities[0].severity).toBe(Severity.HIGH);
  });

  test('a tag-only Trivy report has no digest', () => {
    const [image] = read('aws-cli.trivy.json');
    expect(image.digests).toEqual([]);
    expect(image.tagged[0]).toMatchObject({ registry: 'docker.io', repository: 'amazon/aws-cli', tag: '2.17.0' });
  });

  test.each([
    ['not JSON', '{', /scan report f: not valid JSON .*expected Trivy JSON, Grype JSON or SARIF 2.1.0/],
    ['an array', '[]', /expected a JSON object/],
    ['an unknown format', '{"bomFormat":"CycloneDX"}', /unknown format: expected Trivy JSON/],
    ['Trivy schema 1', '{"SchemaVersion":1,"ArtifactName":"a:1","Results":[]}', /Trivy SchemaVersion 1 is not supported/],
    ['a Trivy filesystem scan', '{"SchemaVersion":2,"ArtifactName":".","ArtifactType":"filesystem","Results":[]}', /ArtifactType is "filesystem": the scan gate needs image scans/],
    ['a Trivy vulnerability without id', '{"SchemaVersion":2,"ArtifactName":"a:1","Results":[{"Vulnerabilities":[{"PkgName":"x"}]}]}', /Results\[0\].Vulnerabilities\[0\] has no VulnerabilityID/],
    ['a Trivy report naming a bad image', '{"SchemaVersion":2,"ArtifactName":"Bad Image","Results":[]}', /names image "Bad Image", which is not an image reference/],
    ['a Grype directory scan', '{"matches":[],"source":{"type":"directory","target":"."}}', /Grype source.type is "directory"/],
    ['a Grype match without id', '{"matches":[{"vulnerability":{}}],"source":{"type":"image","target":{"userInput":"a:1"}}}', /matches\[0\] has no vulnerability.id/],
    ['SARIF 2.0', '{"version":"2.0.0","$schema":"sarif","runs":[]}', /SARIF version "2.0.0" is not supported/],
    ['a SARIF run naming no image', '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"semgrep"}},"results":[]}]}', /runs\[0\] \(semgrep\) names no image/],
  ])('%s is refused, naming the file', (_what, text, message) => {
    expect(() => parseScanReport(text, 'f')).toThrow(message);
  });
});
