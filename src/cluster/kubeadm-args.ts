/**
 * Reads component flags from a kubeadm ClusterConfiguration: `extraArgs` is a list of {name, value} in
 * v1beta4 and a map in v1beta3. Malformed input yields no flags, never a throw.
 */
import { asArray, asObject, asString, get, isObject } from '../check/json';

/** A flag value with the JSON path it was read from. */
export interface KubeadmArg {
  readonly value: string;
  readonly path: string;
}

/** The last value of a flag (kubeadm lets a later entry win) under `component` (`apiServer`, `etcd.local`, ...). */
export function kubeadmArg(config: unknown, component: string, flag: string): KubeadmArg | undefined {
  const keys = component.split('.');
  const raw = get(config, ...keys, 'extraArgs');
  const base = `${component}.extraArgs`;
  if (Array.isArray(raw)) {
    let found: KubeadmArg | undefined;
    asArray(raw).forEach((entry, i) => {
      const e = asObject(entry);
      const value = asString(e.value);
      if (asString(e.name) === flag && value !== undefined) found = { value, path: `${base}[${i}].value` };
    });
    return found;
  }
  if (isObject(raw)) {
    const value = asString(raw[flag]);
    return value === undefined ? undefined : { value, path: `${base}.${flag}` };
  }
  return undefined;
}
