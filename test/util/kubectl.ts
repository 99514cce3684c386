/**
 * kubectl as the oracle of what the cluster gets: `kubectl annotate --local -f - KEY=1 -o json` reads a manifest
 * exactly as `kubectl apply` does (same builder, same YAML reader), needs no cluster, and prints the objects it
 * would send. The probe annotation it adds is removed again.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PROBE = 'parity.cdk8s.io/probe';

/** The kubectl binary, or undefined when it is not installed. */
export const KUBECTL: string | undefined = (() => {
  const found = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return found.status === 0 ? 'kubectl' : undefined;
})();

/** Under CI the parity suites must run: a missing kubectl fails them instead of skipping them. */
export const describeWithKubectl: jest.Describe = KUBECTL || process.env.CI === 'true' ? describe : describe.skip;

/** Fails the suite under CI when kubectl is missing (call inside describeWithKubectl). */
export function requireKubectl(): void {
  if (!KUBECTL) throw new Error('kubectl is required for the YAML parity suites under CI=true: apt-get install -y kubernetes-client');
}

export type KubectlRead = { readonly objects: unknown[] } | { readonly error: string };

/** The objects kubectl reads from a manifest text (Lists expanded, as kubectl does), or its error. */
export function kubectlRead(text: string | Buffer): KubectlRead {
  requireKubectl();
  const run = spawnSync(KUBECTL!, ['annotate', '--local', '-f', '-', `${PROBE}=1`, '-o', 'json'], { input: text, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) return { error: (run.stderr || run.stdout).trim() };
  return { objects: splitJsonStream(run.stdout).map(stripProbe) };
}

/** kubectl prints one JSON document per object, one after the other. */
export function splitJsonStream(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if (c === '}' || c === ']') {
      if (--depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return values;
}

function stripProbe(object: unknown): unknown {
  const metadata = (object as { metadata?: { annotations?: Record<string, unknown> } }).metadata;
  const annotations = metadata?.annotations;
  if (annotations && PROBE in annotations) {
    delete annotations[PROBE];
    // kubectl created the annotations map for the probe (corpus objects never carry an empty one).
    if (Object.keys(annotations).length === 0) delete metadata!.annotations;
  }
  return object;
}

/**
 * Reads many manifests with one kubectl call: each text is a file of a temporary directory, and kubectl reads a
 * directory file by file, printing what it read from the files it accepts (and an error for each other one).
 * Returns the objects it printed, by metadata.name.
 */
export function kubectlReadEach(texts: readonly string[]): Map<string, unknown> {
  requireKubectl();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-kubectl-'));
  try {
    texts.forEach((t, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(6, '0')}.yaml`), t));
    const run = spawnSync(KUBECTL!, ['annotate', '--local', '-f', dir, `${PROBE}=1`, '-o', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const read = new Map<string, unknown>();
    for (const o of splitJsonStream(run.stdout).map(stripProbe)) read.set(String((o as { metadata?: { name?: unknown } }).metadata?.name), o);
    return read;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
