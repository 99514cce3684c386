import { asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';

/** NodePort and LoadBalancer Services open a workload to everything that reaches a node or the load balancer. */
export default objectRule({
  id: 'net-service-exposed',
  title: 'Services must not be of type NodePort or LoadBalancer',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['Service'],
  rationale:
    'A NodePort Service listens on every node of the cluster, a LoadBalancer Service usually on a public address: both bypass the ingress layer (TLS, authentication, rate limits) and widen the attack surface to whoever can reach the nodes.',
  remediation:
    'Use type ClusterIP behind an Ingress or Gateway. When the exposure is intended, waive net-service-exposed on the Service with the reason, and raise services.nodeports / services.loadbalancers in the namespace ResourceQuota.',
  references: {
    nsa: 'Network separation and hardening',
    kubeScore: 'service-type',
    links: ['https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'],
  },
  admission: {
    validations: [{ expression: "!has(object.spec.type) || !(object.spec.type in ['NodePort', 'LoadBalancer'])", message: 'the Service is of type NodePort or LoadBalancer, reachable from outside the cluster' }],
  },
  check(service) {
    const type = asString(asObject(service.object.spec).type);
    if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
    return [{ path: 'spec.type', message: `Service is of type ${type}, reachable from outside the cluster` }];
  },
});
