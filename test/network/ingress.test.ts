import type { K8sObject } from '../../src/core/types';
import { WAIVERS_ANNOTATION } from '../../src/core/waivers';
import { checkObjects } from '../../src/engine/engine';
import { tlsCovers } from '../../src/rules/network/ingress-facts';

const ingress = (spec: Record<string, unknown>, annotations: Record<string, string> = {}, name = 'web'): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'shop', annotations },
  spec,
});
const backend = (name: string, port: Record<string, unknown> = { number: 80 }) => ({ service: { name, port } });
const rule = (host: string | undefined, service = 'web', port?: Record<string, unknown>) => ({
  ...(host === undefined ? {} : { host }),
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend(service, port) }] },
});
const service = (name: string, ports: Array<Record<string, unknown>>): K8sObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { ports } });

function findings(id: string, objects: K8sObject[], completeSet = true): string[] {
  const result = checkObjects(objects.map((object) => ({ object })), { rules: [id], settings: { completeSet } });
  expect(result.problems).toEqual([]);
  return result.findings.map((f) => `${f.name} ${f.path}: ${f.message}`);
}

describe('net-ingress-tls', () => {
  const ID = 'net-ingress-tls';
  test('a host without a tls entry is a finding; an exact or one-label wildcard tls host covers it', () => {
    expect(findings(ID, [ingress({ rules: [rule('shop.example.com'), rule('api.example.com')], tls: [{ hosts: ['api.example.com'], secretName: 't' }] })])).toEqual([
      'web spec.rules[0].host: Host "shop.example.com" has no tls entry: it is served over plain HTTP',
    ]);
    expect(findings(ID, [ingress({ rules: [rule('shop.example.com'), rule('api.example.com')], tls: [{ hosts: ['*.example.com'], secretName: 't' }] })])).toEqual([]);
    expect(findings(ID, [ingress({ rules: [rule('a.b.example.com')], tls: [{ hosts: ['*.example.com'], secretName: 't' }] })])).toEqual([
      'web spec.rules[0].host: Host "a.b.example.com" has no tls entry: it is served over plain HTTP',
    ]);
  });

  test('a rule without host and a default backend need a tls entry without hosts', () => {
    expect(findings(ID, [ingress({ defaultBackend: backend('web'), rules: [rule(undefined)], tls: [{ hosts: ['shop.example.com'], secretName: 't' }] })])).toEqual([
      'web spec.defaultBackend: The default backend answers every host name, and no tls entry without hosts covers it: it is served over plain HTTP',
      'web spec.rules[0]: A rule without host answers every host name, and no tls entry without hosts covers it: it is served over plain HTTP',
    ]);
    expect(findings(ID, [ingress({ defaultBackend: backend('web'), rules: [rule(undefined)], tls: [{ secretName: 'default-cert' }] })])).toEqual([]);
    expect(findings(ID, [ingress({})])).toEqual([]);
  });

  test('TLS terminated in front of the controller is a waiver, reported as waived', () => {
    const waivers = JSON.stringify([{ ruleId: ID, reason: 'TLS ends at the cloud load balancer (certificate in ACM)' }]);
    const result = checkObjects([{ object: ingress({ rules: [rule('shop.example.com')] }, { [WAIVERS_ANNOTATION]: waivers }) }], { rules: [ID] });
    expect([result.findings, result.waived.map((f) => f.waiver?.reason)]).toEqual([[], ['TLS ends at the cloud load balancer (certificate in ACM)']]);
  });

  test('wildcard coverage is one label, as certificates match', () => {
    expect([tlsCovers('*.example.com', 'a.example.com'), tlsCovers('*.example.com', 'example.com'), tlsCovers('*.example.com', 'a.b.example.com'), tlsCovers('*.example.com', '*.example.com')])
      .toEqual([true, false, false, true]);
  });
});

describe('net-ingress-wildcard-host', () => {
  const ID = 'net-ingress-wildcard-host';
  test('wildcard hosts, rules without host and the default backend are findings; exact hosts pass', () => {
    expect(findings(ID, [ingress({ defaultBackend: backend('web'), rules: [rule('*.example.com'), rule(undefined), rule('shop.example.com')] })])).toEqual([
      'web spec.defaultBackend: The default backend answers every host name that reaches the controller',
      'web spec.rules[0].host: Wildcard host "*.example.com" routes every matching subdomain to this backend',
      'web spec.rules[1]: The rule has no host and answers every host name that reaches the controller',
    ]);
    expect(findings(ID, [ingress({ rules: [rule('shop.example.com'), rule('api.example.com')] })])).toEqual([]);
  });
});

describe('net-ingress-class', () => {
  const ID = 'net-ingress-class';
  test('a missing class is a finding; the deprecated annotation is named as deprecated, also next to the field', () => {
    expect(findings(ID, [ingress({ rules: [rule('a.example.com')] })])).toEqual([
      'web spec.ingressClassName: Ingress has no spec.ingressClassName: the default IngressClass (or any controller watching class-less Ingresses) exposes it',
    ]);
    const annotated = checkObjects([{ object: ingress({ rules: [rule('a.example.com')] }, { 'kubernetes.io/ingress.class': 'nginx' }) }], { rules: [ID] });
    expect(annotated.findings.map((f) => `${f.path}: ${f.message} | ${f.remediation}`)).toEqual([
      'metadata.annotations.kubernetes.io/ingress.class: The annotation kubernetes.io/ingress.class is deprecated (since Kubernetes 1.18); use spec.ingressClassName | '
        + 'Set spec.ingressClassName to the IngressClass of the intended controller (kubectl get ingressclass) and remove the kubernetes.io/ingress.class annotation.',
      'spec.ingressClassName: Ingress names its class only with the deprecated annotation kubernetes.io/ingress.class: "nginx"; controllers may ignore it | '
        + 'Move the value to spec.ingressClassName: nginx and remove the annotation.',
    ]);
    expect(findings(ID, [ingress({ ingressClassName: 'internal', rules: [rule('a.example.com')] }, { 'kubernetes.io/ingress.class': 'internal' })])).toEqual([
      'web metadata.annotations.kubernetes.io/ingress.class: The annotation kubernetes.io/ingress.class is deprecated (since Kubernetes 1.18); use spec.ingressClassName',
    ]);
    expect(findings(ID, [ingress({ ingressClassName: 'internal', rules: [rule('a.example.com')] })])).toEqual([]);
  });
});

describe('net-ingress-backend-missing', () => {
  const ID = 'net-ingress-backend-missing';
  const routes = ingress({
    defaultBackend: backend('fallback'),
    rules: [rule('a.example.com', 'web', { number: 8080 }), rule('b.example.com', 'web', { name: 'http' }), rule('c.example.com', 'web', { name: 'admin' }), rule('d.example.com', 'gone')],
  });
  test('backends naming a missing Service or an undeclared port are findings in a complete set', () => {
    expect(findings(ID, [routes, service('web', [{ name: 'http', port: 8080 }])])).toEqual([
      'web spec.defaultBackend.service: Backend Service shop/fallback is not in the scanned input',
      'web spec.rules[2].http.paths[0].backend.service: Backend Service shop/web declares no port "admin"',
      'web spec.rules[3].http.paths[0].backend.service: Backend Service shop/gone is not in the scanned input',
    ]);
  });

  test('a Service of another namespace does not count; a partial set reports nothing', () => {
    const elsewhere = { ...service('fallback', [{ port: 80 }]), metadata: { name: 'fallback', namespace: 'other' } };
    expect(findings(ID, [ingress({ defaultBackend: backend('fallback') }), elsewhere])).toEqual(['web spec.defaultBackend.service: Backend Service shop/fallback is not in the scanned input']);
    expect(findings(ID, [routes], false)).toEqual([]);
  });

  test('resource backends are not Services; every Service backend that exists passes', () => {
    const resource = ingress({ rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'b' } } }] } }] });
    expect(findings(ID, [resource])).toEqual([]);
    expect(findings(ID, [ingress({ rules: [rule('a.example.com', 'web', { number: 80 })] }), service('web', [{ port: 80 }])])).toEqual([]);
  });
});
