/** Services, Ingresses and ConfigMaps that open the cluster (issue 12), on plain YAML through the engine. */
import { fromYaml } from './yaml';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';

const check = (text: string, rules: string[]) => {
  const result = checkObjects(fromYaml(text), { rules });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);
};

const service = (name: string, spec: string) => `
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: shop }
spec: ${spec}
`;

test('net-service-external-ips: any externalIPs entry (CVE-2020-8554); none or an empty list passes', () => {
  const text =
    service('mitm', '{ selector: { app: x }, ports: [{ port: 443 }], externalIPs: [169.254.169.254, 10.0.0.10] }') +
    service('plain', '{ selector: { app: x }, ports: [{ port: 443 }] }') +
    service('empty', '{ selector: { app: x }, ports: [{ port: 443 }], externalIPs: [] }');
  expect(check(text, ['net-service-external-ips'])).toEqual(['net-service-external-ips Service/mitm spec.externalIPs']);
  const [finding] = checkObjects(fromYaml(text), { rules: ['net-service-external-ips'] }).findings;
  expect(finding.message).toBe('Service sets externalIPs "169.254.169.254", "10.0.0.10": kube-proxy intercepts traffic to them from every pod and node (CVE-2020-8554)');
});

test('net-service-external-name: cluster names, bare names, localhost and metadata; outside names pass', () => {
  const names = ['db.billing.svc.cluster.local', 'kubernetes.default.svc', 'api.team.svc.corp.internal', 'kubernetes', 'localhost',
    'metadata.google.internal', '169.254.169.254', 'Redis.Cache.SVC.Cluster.Local.'];
  const outside = ['api.partner.example.com', 'db.example.org.', 'svc.example.com'];
  const text = [...names, ...outside].map((n, i) => service(`s${i}`, `{ type: ExternalName, externalName: "${n}" }`)).join('');
  expect(check(text, ['net-service-external-name'])).toEqual(names.map((_, i) => `net-service-external-name Service/s${i} spec.externalName`));
  // Other Service types are not judged by their externalName.
  expect(check(service('ip', '{ type: ClusterIP, externalName: kubernetes }'), ['net-service-external-name'])).toEqual([]);
});

test('net-ingress-nginx-snippet: every *-snippet annotation of ingress-nginx; other annotations pass', () => {
  const text = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/server-snippet: "location /x { return 200; }"
    nginx.ingress.kubernetes.io/configuration-snippet: "more_set_headers 'X: y';"
    nginx.ingress.kubernetes.io/rewrite-target: /
spec: { rules: [{ host: shop.example.com }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: clean, namespace: shop, annotations: { nginx.ingress.kubernetes.io/ssl-redirect: "true" } }
spec: { rules: [{ host: shop.example.com }] }
`;
  expect(check(text, ['net-ingress-nginx-snippet'])).toEqual([
    'net-ingress-nginx-snippet Ingress/web metadata.annotations.nginx.ingress.kubernetes.io/configuration-snippet',
    'net-ingress-nginx-snippet Ingress/web metadata.annotations.nginx.ingress.kubernetes.io/server-snippet',
  ]);
});

test('net-ingress-nginx-snippet: a controller ConfigMap that switches snippets back on; the safe settings pass', () => {
  const text = `
apiVersion: v1
kind: ConfigMap
metadata: { name: ingress-nginx-controller, namespace: ingress-nginx }
data: { allow-snippet-annotations: "true", annotations-risk-level: Critical }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: safe, namespace: ingress-nginx }
data: { allow-snippet-annotations: "false", annotations-risk-level: High }
`;
  expect(check(text, ['net-ingress-nginx-snippet'])).toEqual([
    'net-ingress-nginx-snippet ConfigMap/ingress-nginx-controller data.allow-snippet-annotations',
    'net-ingress-nginx-snippet ConfigMap/ingress-nginx-controller data.annotations-risk-level',
  ]);
});

test('workload-configmap-secret-literal: credential keys and secret-shaped values, never the value; pointers and settings pass', () => {
  const text = `
apiVersion: v1
kind: ConfigMap
metadata: { name: app, namespace: shop }
data:
  DB_PASSWORD: hunter2-but-longer
  GITHUB_TOKEN: plain-literal-token
  tls.key: "-----BEGIN RSA PRIVATE KEY-----\\nMIIB\\n-----END RSA PRIVATE KEY-----"
  DB_PASSWORD_FILE: /run/secrets/db
  TOKEN_TTL: "3600"
  LOG_LEVEL: debug
  settings.yaml: "retries: 3"
---
apiVersion: v1
kind: ConfigMap
metadata: { name: clean, namespace: shop }
data: { API_URL: "https://api.example.com", FEATURE_X: "true" }
`;
  expect(check(text, ['workload-configmap-secret-literal'])).toEqual([
    'workload-configmap-secret-literal ConfigMap/app data.DB_PASSWORD',
    'workload-configmap-secret-literal ConfigMap/app data.GITHUB_TOKEN',
    'workload-configmap-secret-literal ConfigMap/app data.tls.key',
  ]);
  const messages = checkObjects(fromYaml(text), { rules: ['workload-configmap-secret-literal'] }).findings.map((f) => f.message);
  expect(messages).toContain('ConfigMap key "tls.key" holds a literal value that looks like a private key');
  expect(messages.join('\n')).not.toContain('hunter2');
});

test('a waiver on the object covers each of these rules', () => {
  const waived = (ruleId: string) => `{ ${WAIVERS_ANNOTATION}: '${JSON.stringify([{ ruleId, reason: 'bare-metal addresses owned by the platform team' }])}' }`;
  const text = `
apiVersion: v1
kind: Service
metadata: { name: lb, namespace: shop, annotations: ${waived('net-service-external-ips')} }
spec: { ports: [{ port: 443 }], externalIPs: [192.0.2.10] }
`;
  const result = checkObjects(fromYaml(text), { rules: ['net-service-external-ips'] });
  expect(result.findings).toEqual([]);
  expect(result.waived).toHaveLength(1);
});
