import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

describe('README', () => {
  test('the quick start is examples/quickstart/main.ts (type-checked by npm test, run by npm run example)', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const quickStart = readme.split('## Quick start')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
    const example = fs.readFileSync(path.join(root, 'examples', 'quickstart', 'main.ts'), 'utf8').replace("from '../../src';", "from 'cdk8s-hardened';");
    expect(quickStart).toBe(example);
  });

  test('shows exactly the two set-up commands CI runs', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm run example');
    expect(readme).toContain('npm test ');
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    expect(ci.split('\n').filter((l) => l.startsWith('npm '))).toEqual(['npm ci', 'npm test']);
  });
});
