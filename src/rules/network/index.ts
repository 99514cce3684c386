/** Network rules: NetworkPolicy coverage and breadth, and Services exposed outside the cluster. */
import allowAll from './allow-all';
import egressAnywhere from './egress-anywhere';
import policySelectsNothing from './policy-selects-nothing';
import serviceExposed from './service-exposed';
import workloadNotSelected from './workload-not-selected';
import type { Rule } from '../rule';

export const NETWORK_RULES: readonly Rule[] = [workloadNotSelected, policySelectsNothing, serviceExposed, allowAll, egressAnywhere];
