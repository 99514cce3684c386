/** docs/policy.md: its policy files load through the shipped schema, and its table names every key of the schema. */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { parseConfig, POLICY_SCHEMA_PATH } from '../../src/engine/config';

const ROOT = path.join(__dirname, '..', '..');
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'policy.md'), 'utf8');

describe('docs/policy.md', () => {
  const files = [...doc.matchAll(/<!-- policy-file -->\n```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

  test('every policy file it shows is a valid policy', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const text of files) {
      const policy = parseConfig(yaml.load(text, { schema: yaml.JSON_SCHEMA }), 'docs/policy.md');
      expect(policy.grants?.[0].level).toBe('baseline');
      expect(policy.lockedRules).toEqual(['pod-privileged']);
    }
  });

  test('the table explains every top-level key of the schema', () => {
    const keys = Object.keys(JSON.parse(fs.readFileSync(POLICY_SCHEMA_PATH, 'utf8')).properties).filter((k) => k !== '$schema');
    const table = doc.split('\n').filter((l) => l.startsWith('| `')).join('\n');
    expect(keys.filter((k) => !table.includes(`\`${k}\``))).toEqual([]);
  });
});
