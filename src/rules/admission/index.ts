/** Admission rules: objects that switch the cluster's admission defences off or route around them. */
import bindingWeakened from './binding-weakened';
import mutatingPolicyHardenedKeys from './mutating-policy-hardened-keys';
import policyAltered from './policy-altered';
import webhookBypass from './webhook-bypass';
import type { Rule } from '../rule';

export const ADMISSION_RULES: readonly Rule[] = [bindingWeakened, policyAltered, webhookBypass, mutatingPolicyHardenedKeys];
