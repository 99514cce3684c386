/**
 * A line-based unified diff (the format of `diff -u` and `git diff`) for `cdk8s-hardened fix --diff`. Myers'
 * O((N+M)D) algorithm on the lines between the common prefix and suffix: hardening adds a few lines per
 * document, so D stays small.
 */

/** One line of an edit script: kept (' '), removed ('-') or added ('+'). */
export type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string };

/** Lines of a text, each without its line break; a final line break does not start another line. */
export function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b` (Myers), as kept, removed and added lines in order. */
export function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x0 = a.slice(start, endA);
  const y0 = b.slice(start, endB);
  const middle = myers(x0, y0);
  return [
    ...a.slice(0, start).map((line): Op => ({ kind: ' ', line })),
    ...middle,
    ...a.slice(endA).map((line): Op => ({ kind: ' ', line })),
  ];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (max === 0) return [];
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v);
    v = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[k - 1 + offset] < v[k + 1 + offset]) ? v[k + 1 + offset] : v[k - 1 + offset] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  // Walk back from the end through the recorded frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const frontier = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && frontier[k - 1 + offset] < frontier[k + 1 + offset]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[prevK + offset];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) {
        ops.push({ kind: '+', line: b[y - 1] });
        y--;
      } else {
        ops.push({ kind: '-', line: a[x - 1] });
        x--;
      }
    }
  }
  return ops.reverse();
}

/**
 * The unified diff of two texts with `context` lines around each change, or '' when they are equal. Headers
 * name `from` and `to` (`a/app.yaml`, `b/app.yaml`).
 */
export function unifiedDiff(before: string, after: string, from: string, to: string, context = 3): string {
  if (before === after) return '';
  const ops = editScript(linesOf(before), linesOf(after));
  const out = [`--- ${from}`, `+++ ${to}`];
  // Line numbers (1-based) before and after each op.
  const positions: Array<{ a: number; b: number }> = [];
  let la = 1;
  let lb = 1;
  for (const op of ops) {
    positions.push({ a: la, b: lb });
    if (op.kind !== '+') la++;
    if (op.kind !== '-') lb++;
  }
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let i = 0;
  while (i < changed.length) {
    const first = Math.max(0, changed[i] - context);
    let last = Math.min(ops.length - 1, changed[i] + context);
    while (i + 1 < changed.length && changed[i + 1] - context <= last + 1) {
      i++;
      last = Math.min(ops.length - 1, changed[i] + context);
    }
    const hunk = ops.slice(first, last + 1);
    const countA = hunk.filter((op) => op.kind !== '+').length;
    const countB = hunk.filter((op) => op.kind !== '-').length;
    const startA = countA === 0 ? positions[first].a - 1 : positions[first].a;
    const startB = countB === 0 ? positions[first].b - 1 : positions[first].b;
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    i++;
  }
  const noNewline = (text: string) => text !== '' && !text.endsWith('\n');
  // Rare in manifests, but a diff must say when the last line has no line break.
  if (noNewline(before) || noNewline(after)) out.push('\\ No newline at end of file');
  return `${out.join('\n')}\n`;
}
