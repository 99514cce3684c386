/**
 * The set of objects `kubectl apply` sends, from the objects read: namespaces filled in as `kubectl apply -n`
 * fills them, and of duplicates only the last. Shared by the CLI, the plugin and `Hardening.enforce`, the judges
 * of a whole set (the engine itself judges whatever it is given, one object at a time in a workload's self-check).
 */
import { isConfigFileApiVersion } from '../core/config-files';
import { isObject } from '../core/json';
import { apiGroupOf, isClusterScoped } from '../core/scope';
import type { CheckInput, InputProblem, K8sObject } from '../core/types';

export interface AppliedOptions {
  /**
   * The namespace of `kubectl apply -n NAMESPACE`: namespaced objects without one are read in it, and one with a
   * different namespace is an input problem (kubectl refuses it). Without it they are read as `default`.
   */
  readonly namespace?: string;
}

export interface AppliedSet {
  readonly inputs: CheckInput[];
  readonly problems: InputProblem[];
  /** Facts about how the input was read that change no verdict (said once per run). */
  readonly notes: string[];
}

/** The objects kubectl applies from `inputs`, in order, with the problems of the set. */
export function appliedSet(inputs: readonly CheckInput[], options: AppliedOptions = {}): AppliedSet {
  const problems: InputProblem[] = [];
  let readAsDefault = 0;
  const resolved: CheckInput[] = [];
  for (const input of inputs) {
    const object = input.object;
    const metadata = isObject(object) && isObject(object.metadata) ? object.metadata : undefined;
    const apiVersion = isObject(object) && typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const kind = isObject(object) && typeof object.kind === 'string' ? object.kind : '';
    if (!metadata || kind === '' || isConfigFileApiVersion(apiVersion) || isClusterScoped(apiVersion, kind)) {
      resolved.push(input);
      continue;
    }
    const namespace = metadata.namespace;
    if (namespace === undefined || namespace === null || namespace === '') {
      if (options.namespace === undefined) {
        readAsDefault++;
        resolved.push(input);
      } else {
        // A copy: the caller's object (a construct's JSON, a parsed file) is never changed.
        const copy: K8sObject = { ...object, metadata: { ...metadata, namespace: options.namespace } };
        resolved.push({ object: copy, source: input.source });
      }
      continue;
    }
    if (options.namespace !== undefined && namespace !== options.namespace) {
      problems.push({
        message: `${kind} ${String(namespace)}/${String(metadata.name ?? '')}: its namespace "${String(namespace)}" differs from --namespace "${options.namespace}"; kubectl refuses such an object (it asks for --namespace=${String(namespace)})`,
        file: input.source?.file,
        line: input.source?.line,
        kind,
        name: typeof metadata.name === 'string' ? metadata.name : undefined,
      });
    }
    resolved.push(input);
  }
  const notes =
    readAsDefault > 0
      ? [`${readAsDefault} namespaced object${readAsDefault === 1 ? ' has' : 's have'} no metadata.namespace and ${readAsDefault === 1 ? 'was' : 'were'} read as namespace "default" (what kubectl apply does without -n); pass --namespace NAME if they are meant for kubectl apply -n NAME`]
      : [];
  return { inputs: lastOfDuplicates(resolved, problems), problems, notes };
}

/**
 * kubectl applies objects in order, so of two objects with the same API group, kind, namespace and name only the
 * last reaches the cluster. That one is judged, and every duplicate is an input problem naming both locations: a
 * weaker second copy (a `default-deny-ingress` that allows everything) must never replace the first unseen.
 */
function lastOfDuplicates(inputs: readonly CheckInput[], problems: InputProblem[]): CheckInput[] {
  const last = new Map<string, CheckInput>();
  const replaced = new Set<CheckInput>();
  for (const input of inputs) {
    const object = input.object;
    if (!isObject(object) || !isObject(object.metadata)) continue;
    const { name, namespace } = object.metadata;
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const kind = typeof object.kind === 'string' ? object.kind : '';
    // generateName creates a new object on every apply; config files and nameless objects have no identity.
    if (typeof name !== 'string' || name === '' || kind === '' || isConfigFileApiVersion(apiVersion)) continue;
    const scope = isClusterScoped(apiVersion, kind) ? '' : typeof namespace === 'string' && namespace !== '' ? namespace : 'default';
    const key = `${apiGroupOf(apiVersion)}\u0000${kind}\u0000${scope}\u0000${name}`;
    const earlier = last.get(key);
    if (earlier) {
      replaced.add(earlier);
      problems.push({
        message: `${kind} ${scope ? `${scope}/` : ''}${name} is defined twice, at ${where(earlier)} and at ${where(input)}; kubectl applies only the last one, so the first never reaches the cluster: remove or rename one of them`,
        file: input.source?.file,
        line: input.source?.line,
        kind,
        name,
      });
    }
    last.set(key, input);
  }
  return replaced.size === 0 ? [...inputs] : inputs.filter((i) => !replaced.has(i));
}

function where(input: CheckInput): string {
  if (!input.source) return '(no location)';
  return input.source.line ? `${input.source.file}:${input.source.line}` : input.source.file;
}
