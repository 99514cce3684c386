import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, runCli } from '../../src/cli/program';

/**
 * The catalog grows in parallel (every area adds rules): tests that assert exact findings, counts or exit
 * codes pin the rule they exercise, so that they keep testing the CLI rather than the catalog's contents.
 */
export const PINNED = ['--rule', 'pod-privileged'];

/** A stream that records what is written to it. */
export class MemoryStream {
  public text = '';
  constructor(public readonly isTTY = false) {}
  public write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in process with captured streams. */
export async function cli(argv: string[], options: { stdin?: string; tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new MemoryStream(options.tty);
  const stderr = new MemoryStream(options.tty);
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A temporary directory removed after the test file. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-cli-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export const PRIVILEGED_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
`;

export const CLEAN_POD = `apiVersion: v1
kind: Pod
metadata:
  name: ok
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx
`;
