import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';
import { CEL_EVERY_ADDRESS, POLICY_DIRECTION_VARIABLES } from './allow-all';
import { everyAddressPeers, policyTypes } from './policy-facts';

/**
 * Egress to 0.0.0.0/0 (or ::/0) lets a compromised pod reach any host: exfiltration, command and control, metadata
 * APIs. ipBlocks that only together cover every address are net-ipblock-union-anywhere.
 */
export default objectRule({
  id: 'net-egress-anywhere',
  title: 'NetworkPolicies must not allow egress to every address',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'An egress ipBlock of 0.0.0.0/0 or ::/0 (even with a few `except` ranges) allows connections to the Internet and to most of the cluster network. Attackers use such egress to fetch tools, exfiltrate data and reach cloud metadata endpoints.',
  remediation:
    'Allow egress only to the CIDRs of the services the workload calls (and to workloads by pod selector). When a workload must reach arbitrary hosts (a webhook sender), route it through an egress proxy or waive net-egress-anywhere on the policy with the reason.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
  },
  admission: {
    variables: POLICY_DIRECTION_VARIABLES,
    validations: [{
      expression: `!variables.egressOn || !has(object.spec.egress) || object.spec.egress.all(r, !has(r.to) || r.to.all(p, !${CEL_EVERY_ADDRESS}))`,
      message: 'an egress rule allows every address (ipBlock /0)',
    }],
  },
  check(policy) {
    if (!policyTypes(policy).egress) return [];
    return everyAddressPeers(asObject(policy.object.spec), 'egress');
  },
});
