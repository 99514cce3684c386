/** Service account tokens mounted by hand (issue 12): plain YAML through the engine, and the constructs' synth. */
import { ApiObject } from 'cdk8s';
import { AuditedServiceAccount, Hardening, HardenedDeployment } from '../../../src';
import type { K8sObject } from '../../../src/core/types';
import { API_ACCESS_ANNOTATION } from '../../../src/core/waivers';
import { checkObjects } from '../../../src/engine/engine';
import { NAMESPACE, newChart, ofKind, podTemplate, synth, webContainer } from '../../constructs/helpers';
import { fromYaml } from '../../network/yaml';

const ID = 'pod-automount-service-account-token';
const findings = (text: string) => {
  const result = checkObjects(fromYaml(text), { rules: [ID] });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.kind}/${f.name} ${f.path}: ${f.message}`);
};
const deployment = (name: string, annotations: string, volumes: string) => `
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} }, annotations: ${annotations} }
    spec:
      automountServiceAccountToken: false
      containers: [{ name: app, image: app }]
      volumes: ${volumes}
`;
const PROJECTED = '[{ name: token, projected: { sources: [{ serviceAccountToken: { path: token, expirationSeconds: 3600 } }] } }]';

describe('service account tokens mounted without automounting', () => {
  test('a projected serviceAccountToken volume without a recorded reason is a finding', () => {
    expect(findings(deployment('sneaky', '{}', PROJECTED))).toEqual([
      `Deployment/sneaky spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken: volume "token" projects a service account token, and the pod records no reason (annotation ${API_ACCESS_ANNOTATION})`,
    ]);
    // A blank reason is no reason.
    expect(findings(deployment('blank', `{ ${API_ACCESS_ANNOTATION}: "  " }`, PROJECTED))).toHaveLength(1);
  });

  test('a Secret of type kubernetes.io/service-account-token mounted as a volume or projected source is a finding', () => {
    const secrets = `
---
apiVersion: v1
kind: Secret
metadata: { name: legacy-token, namespace: shop, annotations: { kubernetes.io/service-account.name: admin } }
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Secret
metadata: { name: tls, namespace: shop }
type: kubernetes.io/tls
`;
    const text = secrets + deployment('legacy', '{}', '[{ name: a, secret: { secretName: legacy-token } }, { name: b, projected: { sources: [{ secret: { name: legacy-token } }] } }, { name: c, secret: { secretName: tls } }]');
    expect(findings(text)).toEqual([
      `Deployment/legacy spec.template.spec.volumes[0].secret.secretName: volume "a" mounts Secret "legacy-token", a long-lived service account token (type kubernetes.io/service-account-token), and the pod records no reason (annotation ${API_ACCESS_ANNOTATION})`,
      `Deployment/legacy spec.template.spec.volumes[1].projected.sources[0].secret.name: volume "b" mounts Secret "legacy-token", a long-lived service account token (type kubernetes.io/service-account-token), and the pod records no reason (annotation ${API_ACCESS_ANNOTATION})`,
    ]);
  });

  test('negative controls: a recorded reason, and projected volumes without a token, pass', () => {
    expect(findings(deployment('operator', `{ ${API_ACCESS_ANNOTATION}: "watches its ConfigMap for reloads" }`, PROJECTED))).toEqual([]);
    expect(findings(deployment('config', '{}', '[{ name: c, projected: { sources: [{ configMap: { name: settings } }] } }]'))).toEqual([]);
  });

  test('synth: apiAccess records its reason on the pod template, and the hardened workload passes', () => {
    const { app, chart } = newChart();
    const sa = new AuditedServiceAccount(chart, 'sa', { owner: 'team-shop', purpose: 'reloads settings', apiAccess: { reason: 'watches its ConfigMap for reloads' } });
    new HardenedDeployment(chart, 'api', { containers: [webContainer('api')], serviceAccount: sa });
    const [object] = ofKind(synth(app), 'Deployment');
    expect(podTemplate(object).metadata.annotations[API_ACCESS_ANNOTATION]).toBe('watches its ConfigMap for reloads');
  });

  test('synth: a raw workload that projects a token without apiAccess fails Hardening.enforce', () => {
    const { app, chart } = newChart();
    Hardening.enforce(chart);
    const raw = fromYaml(deployment('raw', '{}', PROJECTED))[0].object as K8sObject;
    new ApiObject(chart, 'raw', { ...raw, metadata: { name: 'raw', namespace: NAMESPACE } } as any);
    expect(() => app.synthYaml()).toThrow(/pod-automount-service-account-token.*projects a service account token/s);
  });
});
