/** Network rules: NetworkPolicy coverage and breadth, Services exposed outside the cluster or aliasing it, ingress snippets. */
import allowAll from './allow-all';
import dnsEgressNamespace from './dns-egress-namespace';
import egressAnywhere from './egress-anywhere';
import ingressNginxSnippet from './ingress-nginx-snippet';
import policySelectsNothing from './policy-selects-nothing';
import serviceExposed from './service-exposed';
import serviceExternalIps from './service-external-ips';
import serviceExternalName from './service-external-name';
import workloadNotSelected from './workload-not-selected';
import type { Rule } from '../rule';

export const NETWORK_RULES: readonly Rule[] = [workloadNotSelected, policySelectsNothing, serviceExposed, allowAll, egressAnywhere,
  serviceExternalIps, serviceExternalName, ingressNginxSnippet, dnsEgressNamespace];
