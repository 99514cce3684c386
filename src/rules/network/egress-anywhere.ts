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
  admission: {
    // The API server admits only valid CIDRs, so a /0 suffix is exactly "every address".
    variables: [
      // As policyTypes(): without policyTypes, ingress is always on and egress only with egress rules.
      { name: 'ingressOn', expression: "has(object.spec.policyTypes) ? 'Ingress' in object.spec.policyTypes : true" },
      { name: 'egressOn', expression: "has(object.spec.policyTypes) ? 'Egress' in object.spec.policyTypes : (has(object.spec.egress) && size(object.spec.egress) > 0)" },
    ],
    validations: [{
      expression: "!variables.egressOn || !has(object.spec.egress) || object.spec.egress.all(r, !has(r.to) || r.to.all(p, !(has(p.ipBlock) && has(p.ipBlock.cidr) && p.ipBlock.cidr.matches('^[0-9a-fA-F:.]+/0{1,3}$'))))",
      message: 'an egress rule allows every address (ipBlock /0)',
    }],
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
