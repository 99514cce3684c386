import { asObject } from '../../core/json';
import { Severity } from '../../core/types';
import { objectRule } from '../rule';
import { anywhereAcrossPolicies, policyTypes, unionAnywhere } from './policy-facts';

/**
 * ipBlocks that are each narrower than /0 but together cover a whole address family (two /1 halves, four /2s,
 * `::/1` + `8000::/1`), in one rule, in rules with the same ports or in NetworkPolicies that select the same pods,
 * reach every address as a /0 does: the same finding, hidden from a check that looks for /0.
 */
export default objectRule({
  id: 'net-ipblock-union-anywhere',
  title: 'NetworkPolicy ipBlocks must not add up to every address',
  area: 'network',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: ['NetworkPolicy'],
  rationale:
    'NetworkPolicy rules are additive. ipBlocks such as 0.0.0.0/1 plus 128.0.0.0/1, four /2s, or ::/1 plus 8000::/1, whether in one rule, in rules with the same ports, or in several NetworkPolicies that select the same pods, admit (ingress) or allow (egress) every address although no single block is a /0. Checks that look for 0.0.0.0/0 miss them, so they also serve to hide an allow-all.',
  remediation:
    'Replace the blocks with the narrowest CIDRs of the sources or destinations the workload really needs. If every address is intended (a public endpoint, a webhook sender behind an egress proxy), write it as one /0 and waive net-allow-all or net-egress-anywhere with the reason, so that reviewers and admission see it.',
  references: {
    nsa: 'Network separation and hardening: network policies',
    links: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource'],
  },
  notAtAdmission: 'the union of ipBlocks needs CIDR arithmetic over several rules and several NetworkPolicies, which one-object CEL cannot do; judged by the checker and at synth, while the single /0 forms are enforced by net-allow-all and net-egress-anywhere',
  check(policy, context) {
    const spec = asObject(policy.object.spec);
    const types = policyTypes(policy);
    return (['ingress', 'egress'] as const)
      .filter((field) => types[field])
      .flatMap((field) => [...unionAnywhere(spec, field), ...anywhereAcrossPolicies(policy, context.index, field)]);
  },
});
