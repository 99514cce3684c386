import { readFileSync } from 'fs';
import { memberName, ruleIdSource } from '../../scripts/lib/rule-id-source';
import { RULE_ID_FILE } from '../../scripts/rule-id';
import { RuleId } from '../../src';
import { ALL_RULES } from '../../src/rules';

describe('RuleId', () => {
  test('src/rules/rule-id.ts is what scripts/rule-id.ts writes from the catalog (run `npx tsx scripts/rule-id.ts`)', () => {
    expect(readFileSync(RULE_ID_FILE, 'utf8')).toBe(ruleIdSource());
  });

  test('has exactly one member per catalog rule, valued with its id', () => {
    const members = Object.entries(RuleId);
    expect(members.map(([, id]) => id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    for (const [name, id] of members) expect(name).toBe(memberName(id));
  });

  test('a misspelt member does not compile; the values are plain strings', () => {
    // @ts-expect-error POD_PRIVILEDGED is not a rule
    const typo = RuleId.POD_PRIVILEDGED;
    expect(typo).toBeUndefined();
    const id: string = RuleId.POD_PRIVILEGED;
    expect(id).toBe('pod-privileged');
  });
});
