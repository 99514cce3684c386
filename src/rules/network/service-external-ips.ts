import { asArray, asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { objectRule } from '../rule';

/**
 * CVE-2020-8554: whoever may create a Service with externalIPs makes kube-proxy intercept traffic to those
 * addresses from every pod and node of the cluster (a man in the middle for any external or internal IP).
 */
export default objectRule({
  id: 'net-service-external-ips',
  title: 'Services must not set externalIPs',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['Service'],
  rationale:
    'kube-proxy routes traffic for every address in a Service\'s spec.externalIPs to that Service\'s endpoints, on every node, without checking who owns the address (CVE-2020-8554, unpatched by design). A tenant who may create Services can so intercept the cluster\'s traffic to any IP: a cloud metadata endpoint, a database, another Service\'s ClusterIP. Kubernetes recommends denying the field at admission (the DenyServiceExternalIPs plugin).',
  remediation:
    'Remove spec.externalIPs. Expose the Service through an Ingress, a Gateway or a LoadBalancer whose address the cloud assigns. Where an administrator owns the addresses (bare metal), waive net-service-external-ips on that Service with the reason.',
  references: {
    kyverno: 'restrict-external-ips',
    links: ['https://github.com/kubernetes/kubernetes/issues/97076', 'https://kubernetes.io/docs/concepts/services-networking/service/#external-ips'],
  },
  admission: {
    validations: [{
      expression: '!has(object.spec) || !has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
      message: 'the Service sets externalIPs (CVE-2020-8554: it intercepts traffic to those addresses cluster-wide)',
      messageExpression: `${celString('the Service sets externalIPs (CVE-2020-8554): ')} + object.spec.externalIPs.join(', ')`,
    }],
  },
  check(service) {
    const raw = asObject(service.object.spec).externalIPs;
    if (raw === undefined || raw === null) return [];
    const addresses = asArray(raw);
    if (Array.isArray(raw) && addresses.length === 0) return [];
    return [{
      path: 'spec.externalIPs',
      message: Array.isArray(raw)
        ? `Service sets externalIPs ${addresses.map((a) => JSON.stringify(a)).join(', ')}: kube-proxy intercepts traffic to them from every pod and node (CVE-2020-8554)`
        : `Service sets externalIPs to ${JSON.stringify(raw)}, which is not a list`,
    }];
  },
});
