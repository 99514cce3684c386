/**
 * Reads the command-line flags of the control-plane components from the two files an operator owns:
 * a kubeadm ClusterConfiguration (`extraArgs` as a v1beta3 map or a v1beta4 list of {name, value}) and a
 * static pod manifest (a kube-system Pod whose container runs kube-apiserver, kube-controller-manager,
 * kube-scheduler or etcd, flags parsed from `command` and `args`). Malformed input yields no flags, never a throw;
 * the rules then judge the flags as absent, which is what the component would do.
 */
import { asArray, asObject, asString, get, isObject } from '../../core/json';
import type { ObjectView } from '../../core/views';

export type ControlPlaneComponent = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd';

export const CONTROL_PLANE_COMPONENTS: readonly ControlPlaneComponent[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'];

/** Where each component's flags live in a kubeadm ClusterConfiguration. */
export const KUBEADM_SECTIONS: Readonly<Record<ControlPlaneComponent, string>> = {
  'kube-apiserver': 'apiServer',
  'kube-controller-manager': 'controllerManager',
  'kube-scheduler': 'scheduler',
  'etcd': 'etcd.local',
};

/** A flag value with the JSON path it was read from. */
export interface FlagValue {
  readonly value: string;
  readonly path: string;
}

/** The flags one component is started with, as one file says. */
export interface ComponentFlags {
  readonly component: ControlPlaneComponent;
  /** `kubeadm`: kubeadm adds its own defaults for flags the file leaves out; `static-pod`: the command line is complete. */
  readonly source: 'kubeadm' | 'static-pod';
  /** Last value of every flag (repeated flags: the last wins, as pflag and Go's flag package do). */
  readonly flags: ReadonlyMap<string, FlagValue>;
  /** Path reported for a required flag that is absent. */
  readonly path: string;
}

/** Flags that take no separate value: `--profiling false` sets profiling to true and leaves `false` as an argument. */
export type BooleanFlags = ReadonlySet<string>;

/** Stringifies what YAML may have typed (`profiling: true`, `audit-log-maxage: 30`) the way the user meant it. */
function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Flags of one kubeadm `extraArgs` (list or map); later list entries win. */
export function kubeadmExtraArgs(config: unknown, section: string): Map<string, FlagValue> {
  const raw = get(config, ...section.split('.'), 'extraArgs');
  const base = `${section}.extraArgs`;
  const flags = new Map<string, FlagValue>();
  if (Array.isArray(raw)) {
    asArray(raw).forEach((entry, i) => {
      const e = asObject(entry);
      const name = asString(e.name);
      const value = scalar(e.value);
      if (name !== undefined && value !== undefined) flags.set(name, { value, path: `${base}[${i}].value` });
    });
  } else if (isObject(raw)) {
    for (const [name, v] of Object.entries(raw)) {
      const value = scalar(v);
      if (value !== undefined) flags.set(name, { value, path: `${base}.${name}` });
    }
  }
  return flags;
}

/**
 * Parses a command line the way the components' flag parsers do: `--name=value`, `--name value`, a boolean flag
 * alone means true (and never consumes the next word), and the last occurrence wins. etcd uses Go's flag package,
 * which also accepts a single dash (`-name`). Words that are not flags are ignored.
 */
export function parseCommandLine(
  words: ReadonlyArray<{ readonly word: string; readonly path: string }>,
  booleans: BooleanFlags,
  singleDash: boolean,
): Map<string, FlagValue> {
  const flags = new Map<string, FlagValue>();
  for (let i = 0; i < words.length; i++) {
    const { word, path } = words[i];
    let body: string | undefined;
    if (word.startsWith('--')) body = word.slice(2);
    else if (singleDash && word.startsWith('-') && word.length > 1) body = word.slice(1);
    if (body === undefined || body === '' || body.startsWith('-')) continue;
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.set(body.slice(0, eq), { value: body.slice(eq + 1), path });
    } else if (booleans.has(body)) {
      flags.set(body, { value: 'true', path });
    } else if (i + 1 < words.length) {
      flags.set(body, { value: words[i + 1].word, path: words[i + 1].path });
      i++;
    } else {
      // pflag refuses a value flag without a value; the component would not start. Report it as empty.
      flags.set(body, { value: '', path });
    }
  }
  return flags;
}

function componentOfCommand(word: string | undefined): ControlPlaneComponent | undefined {
  if (word === undefined) return undefined;
  const base = word.slice(word.lastIndexOf('/') + 1);
  return (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(base) ? (base as ControlPlaneComponent) : undefined;
}

/**
 * Every control-plane component the object configures: the four of a kubeadm ClusterConfiguration (etcd only when
 * local), or the component a static pod's container runs.
 */
export function componentFlagsOf(view: ObjectView, booleansOf: (c: ControlPlaneComponent) => BooleanFlags): ComponentFlags[] {
  const o = view.object;
  if (view.kind === 'ClusterConfiguration' && view.apiVersion.startsWith('kubeadm.k8s.io/')) {
    return CONTROL_PLANE_COMPONENTS.filter((c) => c !== 'etcd' || get(o, 'etcd', 'external') === undefined).map((component) => {
      const section = KUBEADM_SECTIONS[component];
      return { component, source: 'kubeadm' as const, flags: kubeadmExtraArgs(o, section), path: `${section}.extraArgs` };
    });
  }
  if (view.kind !== 'Pod' || view.namespace !== 'kube-system') return [];
  const result: ComponentFlags[] = [];
  asArray(get(o, 'spec', 'containers')).forEach((c, i) => {
    const container = asObject(c);
    const command = asArray(container.command);
    const args = asArray(container.args);
    const component = componentOfCommand(asString(command[0]));
    if (!component) return;
    const words = [
      ...command.slice(1).map((w, j) => ({ word: asString(w) ?? '', path: `spec.containers[${i}].command[${j + 1}]` })),
      ...args.map((w, j) => ({ word: asString(w) ?? '', path: `spec.containers[${i}].args[${j}]` })),
    ];
    result.push({ component, source: 'static-pod', flags: parseCommandLine(words, booleansOf(component), component === 'etcd'), path: `spec.containers[${i}].command` });
  });
  return result;
}
