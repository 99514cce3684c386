/** Writes src/rules/rule-id.ts (the RuleId enum) from the catalog. */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { ruleIdSource } from './lib/rule-id-source';

export const RULE_ID_FILE = path.join(__dirname, '..', 'src', 'rules', 'rule-id.ts');

if (require.main === module) writeFileSync(RULE_ID_FILE, ruleIdSource());
