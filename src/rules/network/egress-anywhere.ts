import { asObject } from '../../check/json';
import { Severity } from '../../check/types';
import { objectRule } from '../rule';
import { anywhereAcrossPolicies, anywherePeers, policyTypes } from './policy-facts';

/** Egress to 0.0.0.0/0 (or ::/0) lets a compromised pod reach any host: exfiltration, command and control, metadata APIs. */
export default objectRule({
  id: 'net-egress-anywhere',
  title: 'NetworkPolicies must not allow egress to every address',
  area: 'network',
  severity: Severity.MEDIUM,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'An egress ipBlock of 0.0.0.0/0 or ::/0 (even with a few `except` ranges), or ipBlocks that together cover a whole address family (0.0.0.0/1 plus 128.0.0.0/1, four /2s, ::/1 plus 8000::/1, in one rule, in rules with the same ports, or in NetworkPolicies that select the same pods), allows connections to the Internet and to most of the cluster network. Attackers use such egress to fetch tools, exfiltrate data and reach cloud metadata endpoints.',
  remediation:
    'Allow egress only to the CIDRs of the services the workload calls (and to workloads by pod selector). When a workload must reach arbitrary hosts (a webhook sender), route it through an egress proxy or waive net-egress-anywhere on the policy with the reason.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
  },
  notAtAdmission: 'ipBlock unions need CIDR arithmetic that the admission CEL cannot do the same way; judged by the checker and at synth',
  check(policy, context) {
    if (!policyTypes(policy).egress) return [];
    return [...anywherePeers(asObject(policy.object.spec), 'egress'), ...anywhereAcrossPolicies(policy, context.index, 'egress')];
  },
});
