/** The counts docs/admission.md states, computed from the catalog (test/admission/cost.test.ts compares them). */
import { buildAdmissionPolicies } from '../../src/admission/policies';
import { ALL_RULES } from '../../src/rules';
import { notAtAdmissionReason } from '../../src/rules/rule';

export function countsTable(): string {
  const restricted = buildAdmissionPolicies({ level: 'restricted' });
  const baseline = buildAdmissionPolicies({ level: 'baseline' });
  const withCel = ALL_RULES.filter((r) => !notAtAdmissionReason(r));
  const set = ALL_RULES.filter((r) => r.scope === 'set');
  const single = ALL_RULES.filter((r) => r.scope !== 'set' && notAtAdmissionReason(r));
  return [
    '| count | value |',
    '| --- | ---: |',
    `| rules in the catalog | ${ALL_RULES.length} |`,
    `| rules with a policy | ${withCel.length} |`,
    `| policies at \`restricted\` (the default) | ${restricted.policies.length} |`,
    `| policies at \`baseline\` | ${baseline.policies.length} |`,
    `| rules that need several objects (\`set\`) | ${set.length} |`,
    `| single-object rules without a policy (each says why in docs/rules.md) | ${single.length} |`,
  ].join('\n');
}
