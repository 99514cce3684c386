import { asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { objectRule } from '../rule';

/**
 * Names that resolve inside the cluster or on the node: cluster DNS (`*.svc`, `*.svc.<domain>`, `*.cluster.local`),
 * single labels (the search path makes them Services of the namespace), localhost, loopback and link-local addresses
 * and the cloud metadata names. Written once for TypeScript and CEL (RE2 and JavaScript read it alike); matched
 * against the lower-cased name.
 */
export const INTERNAL_NAME_PATTERN =
  '^(localhost|[^.]+|.+\\.svc|.+\\.svc\\..+|.+\\.cluster\\.local|metadata\\.google\\.internal|metadata|instance-data|127\\.[0-9.]+|169\\.254\\.[0-9.]+|0\\.0\\.0\\.0)\\.?$';
const INTERNAL_NAME = new RegExp(INTERNAL_NAME_PATTERN);

/**
 * An ExternalName Service is a CNAME: pointed at a name inside the cluster it lets anyone who may create Services in
 * one namespace alias another namespace's Service (or the API server, or the metadata endpoint) under a trusted name,
 * and ingress controllers that route to ExternalName Services proxy to it (CVE-2021-25740 class).
 */
export default objectRule({
  id: 'net-service-external-name',
  title: 'ExternalName Services must not point inside the cluster',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['Service'],
  rationale:
    'A Service of type ExternalName is a DNS CNAME. Pointed at a cluster name (`db.other-team.svc.cluster.local`, `kubernetes.default`), a bare name, localhost or a metadata address, it gives a namespace an alias for objects it does not own: NetworkPolicies that allow the alias do not see the real target, and ingress controllers that proxy to ExternalName Services forward outside traffic to another tenant, the API server or the node (CVE-2021-25740).',
  remediation:
    'Point externalName at a fully qualified name outside the cluster (`api.partner.example.com`), or reach the in-cluster Service by its own name and let its owner grant the flow. If a cross-namespace alias is intended, waive net-service-external-name on the Service with the reason.',
  references: {
    links: ['https://github.com/kubernetes/kubernetes/issues/103675', 'https://kubernetes.io/docs/concepts/services-networking/service/#externalname'],
  },
  admission: {
    validations: [{
      expression:
        `!has(object.spec) || !has(object.spec.type) || object.spec.type != 'ExternalName' || (has(object.spec.externalName) && !object.spec.externalName.lowerAscii().matches(${celString(INTERNAL_NAME_PATTERN)}))`,
      message: 'the ExternalName Service points inside the cluster (a cluster DNS name, a bare name, localhost or a metadata address)',
    }],
  },
  check(service) {
    const spec = asObject(service.object.spec);
    if (spec.type !== 'ExternalName') return [];
    const name = asString(spec.externalName);
    if (name === undefined) return [{ path: 'spec.externalName', message: 'ExternalName Service has no externalName (string)' }];
    if (!INTERNAL_NAME.test(name.toLowerCase())) return [];
    return [{ path: 'spec.externalName', message: `ExternalName Service points at ${JSON.stringify(name)}, which resolves inside the cluster or on the node` }];
  },
});
