/**
 * The rule catalog: the single source of truth for everything that judges a manifest
 * (synth-time enforcement, the CLI, the cdk8s plugin, admission policies, docs/rules.md).
 */
import { ADMISSION_RULES } from './admission';
import { CLUSTER_RULES } from './cluster';
import { IMAGE_RULES } from './image';
import { NAMESPACE_RULES } from './namespace';
import { NETWORK_RULES } from './network';
import { POD_RULES } from './pod';
import { RBAC_RULES } from './rbac';
import type { Rule } from './rule';
import { WORKLOAD_RULES } from './workload';

/** Every rule, grouped by area, in catalog order. */
export const ALL_RULES: readonly Rule[] = [
  ...POD_RULES,
  ...IMAGE_RULES,
  ...WORKLOAD_RULES,
  ...NAMESPACE_RULES,
  ...NETWORK_RULES,
  ...RBAC_RULES,
  ...ADMISSION_RULES,
  ...CLUSTER_RULES,
];

const BY_ID = new Map(ALL_RULES.map((r) => [r.id, r]));

/** The rule with that id, or undefined. */
export function findRule(id: string): Rule | undefined {
  return BY_ID.get(id);
}
