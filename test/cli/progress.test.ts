import { spawnSync } from 'child_process';
import * as path from 'path';
import { cli, MemoryStream, PINNED, tempDir, write } from './helpers';
import { ProgressBar, PROGRESS_THRESHOLD_BYTES } from '../../src/cli/progress';

describe('progress bar', () => {
  test('drawn only on a TTY outside CI', () => {
    expect(ProgressBar.shouldShow({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(ProgressBar.shouldShow({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(ProgressBar.shouldShow({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(ProgressBar.shouldShow({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
  });

  test('silent for small inputs, throttled frames for large ones, cleared at the end', () => {
    const stream = new MemoryStream(true);
    let now = 0;
    const bar = new ProgressBar(stream, () => now);
    bar.update(10, 100);
    expect(stream.text).toBe('');
    const total = PROGRESS_THRESHOLD_BYTES * 2;
    bar.update(total / 4, total);
    now += 10;
    bar.update(total / 2, total); // within the frame interval: skipped
    now += 200;
    bar.update(total, total);
    bar.done();
    const frames = stream.text.split('\r').filter((f) => f.startsWith('['));
    expect(frames).toEqual([expect.stringMatching(/^\[#{8}\.{22}\] 25% 2\.0\/8\.0 MB read$/), expect.stringMatching(/^\[#{30}\] 100% 8\.0\/8\.0 MB read, checking\.\.\.$/)]);
    expect(stream.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  const dir = tempDir();
  test('the CLI draws it on a TTY for a large input and never in CI', async () => {
    // Distinct names: kubectl keeps only the last of duplicates, which the CLI reports.
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec: {containers: [{name: a, image: x}]}\n---\n`;
    const count = Math.ceil(PROGRESS_THRESHOLD_BYTES / doc(0).length) + 10;
    const file = write(dir, 'big.yaml', Array.from({ length: count }, (_, i) => doc(i)).join(''));
    const tty = await cli(['check', ...PINNED, file, '--format', 'json'], { tty: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toContain('100%');
    expect((await cli(['check', ...PINNED, file, '--format', 'json'], { tty: true, env: { CI: '1' } })).stderr).toBe('');
    expect((await cli(['check', ...PINNED, file, '--format', 'json', '--no-progress'], { tty: true })).stderr).toBe('');
  });
});

describe('the cdk8s-hardened binary', () => {
  test('runs from source with tsx: exit codes reach the shell and output is on stdout', () => {
    const root = path.join(__dirname, '../..');
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'src/cli/main.ts'), 'check', ...PINNED, '-', '--format', 'json'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x, securityContext: {privileged: true}}]}\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([expect.objectContaining({ ruleId: 'pod-privileged', file: '-', line: 1 })]);
  });
});
