import { asArray, asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule } from '../rule';
import type { Violation } from '../rule';
import { everyAddressCidr, policyTypes } from './policy-facts';

/** Egress to 0.0.0.0/0 (or ::/0) lets a compromised pod reach any host: exfiltration, command and control, metadata APIs. */
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
  check(policy) {
    if (!policyTypes(policy).egress) return [];
    const violations: Violation[] = [];
    asArray(asObject(policy.object.spec).egress).forEach((rule, index) => {
      asArray(asObject(rule).to).forEach((peer, peerIndex) => {
        const cidr = everyAddressCidr(peer);
        if (cidr) {
          violations.push({ path: `spec.egress[${index}].to[${peerIndex}].ipBlock.cidr`, message: `egress to ${cidr} allows every address` });
        }
      });
    });
    return violations;
  },
});
