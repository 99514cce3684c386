/** Network rules: NetworkPolicy coverage and breadth, Services exposed outside the cluster or aliasing it, Ingresses (snippets, TLS, hosts, class, backends). */
import allowAll from './allow-all';
import dnsEgressNamespace from './dns-egress-namespace';
import egressAnywhere from './egress-anywhere';
import ingressBackendMissing from './ingress-backend-missing';
import ingressClass from './ingress-class';
import ingressNginxSnippet from './ingress-nginx-snippet';
import ingressTls from './ingress-tls';
import ingressWildcardHost from './ingress-wildcard-host';
import ipblockUnionAnywhere from './ipblock-union-anywhere';
import policySelectsNothing from './policy-selects-nothing';
import serviceExposed from './service-exposed';
import serviceExternalIps from './service-external-ips';
import serviceExternalName from './service-external-name';
import workloadNotSelected from './workload-not-selected';
import type { Rule } from '../rule';

export const NETWORK_RULES: readonly Rule[] = [workloadNotSelected, policySelectsNothing, serviceExposed, allowAll, egressAnywhere,
  ipblockUnionAnywhere, serviceExternalIps, serviceExternalName, ingressNginxSnippet, ingressTls, ingressWildcardHost, ingressClass,
  ingressBackendMissing, dnsEgressNamespace];
