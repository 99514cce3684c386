/**
 * Read-only views the engine hands to rules: an object with its identity resolved once, and each pod
 * spec (a Pod's own, or a controller's pod template) with every container and its JSON path.
 */
import { asArray, asObject, asString, asStringMap, isObject, JsonObject } from './json';
import type { K8sObject, SourceLocation } from './types';
import { workloadKind } from './workload-kinds';

/** An object plus its identity, read once. */
export interface ObjectView {
  readonly object: K8sObject;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly source?: SourceLocation;
}

export type ContainerType = 'containers' | 'initContainers' | 'ephemeralContainers';

/** One container of a pod spec. */
export interface ContainerView {
  readonly container: JsonObject;
  /** `name` of the container, or `#<index>` when it has none. */
  readonly name: string;
  readonly type: ContainerType;
  /** JSON path of the container in the owning object (`spec.template.spec.containers[0]`). */
  readonly path: string;
}

/** A pod spec inside an object: a Pod, or the pod template of a controller. */
export interface PodView {
  /** The object that holds the pod spec. */
  readonly owner: ObjectView;
  /** The pod spec (an empty object when the input has none or it is malformed). */
  readonly spec: JsonObject;
  /** JSON path of the pod spec in the owner (`spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`). */
  readonly specPath: string;
  /** Labels of the pod (template). */
  readonly labels: Record<string, string>;
  /** Annotations of the pod (template). */
  readonly annotations: Record<string, string>;
  /** JSON path of the pod (template) metadata. */
  readonly metadataPath: string;
  /** Every container: regular, init and ephemeral, in that order. */
  readonly containers: readonly ContainerView[];
  /** True when `spec.os.name` is `windows` (the Pod Security Standards exempt such pods from some checks). */
  readonly isWindows: boolean;
  /**
   * The workload kind whose rules judge this pod spec: the owner's kind, or for a kind outside the workload-kinds
   * table that carries a pod template (a Knative Service, an in-house operator's kind, ...) `Deployment` for
   * `spec.template` and `CronJob` for `spec.jobTemplate.spec.template`.
   */
  readonly judgedAs: string;
}

const CONTAINER_TYPES: readonly ContainerType[] = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * Where a kind outside the workload-kinds table may keep a pod template, and the catalog kind it is judged like. Only a
 * template whose `spec.containers` is a list counts: that field is what makes a pod spec (it is required).
 */
const FOREIGN_TEMPLATES: readonly { readonly path: readonly string[]; readonly judgedAs: string }[] = [
  { path: ['spec', 'template'], judgedAs: 'Deployment' },
  { path: ['spec', 'jobTemplate', 'spec', 'template'], judgedAs: 'CronJob' },
];

/**
 * A labels or annotations map for a read-only view: the object itself when it already is a map of strings (nearly
 * always), else a copy with the string entries only (what asStringMap gives). Views never write to it.
 */
function stringMapView(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  for (const key in value) {
    if (typeof value[key] !== 'string' || key === '__proto__') return asStringMap(value);
  }
  return value as Record<string, string>;
}

function at(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (let i = 0; i < keys.length; i++) current = asObject(current)[keys[i]];
  return current;
}

/** Builds the view of an object's identity. */
export function viewObject(object: K8sObject, source?: SourceLocation): ObjectView {
  const metadata = asObject(object.metadata);
  return {
    object,
    kind: asString(object.kind) ?? '',
    apiVersion: asString(object.apiVersion) ?? '',
    name: asString(metadata.name) ?? asString(metadata.generateName) ?? '',
    namespace: asString(metadata.namespace),
    labels: stringMapView(metadata.labels),
    annotations: stringMapView(metadata.annotations),
    source,
  };
}

/** The pod spec of a Pod or workload, or undefined for kinds that hold none. */
export function viewPod(owner: ObjectView): PodView | undefined {
  let judgedAs = owner.kind;
  const row = workloadKind(owner.kind);
  let templatePath: readonly string[];
  if (row) {
    if (row.templateOptional && at(owner.object, row.templatePath) === undefined) return undefined;
    templatePath = row.templatePath;
  } else {
    const foreign = FOREIGN_TEMPLATES.find((t) => Array.isArray(asObject(at(owner.object, [...t.path, 'spec'])).containers));
    if (!foreign) return undefined;
    templatePath = foreign.path;
    judgedAs = foreign.judgedAs;
  }
  const prefix = templatePath.map((key) => `${key}.`).join('');
  const metadataHolder = at(owner.object, templatePath);
  const metadataPath = `${prefix}metadata`;
  const specPath = `${prefix}spec`;
  const holder = asObject(metadataHolder);
  const spec = asObject(holder.spec);
  const metadata = asObject(holder.metadata);
  const containers: ContainerView[] = [];
  for (let t = 0; t < CONTAINER_TYPES.length; t++) {
    const type = CONTAINER_TYPES[t];
    const list = asArray(spec[type]);
    for (let index = 0; index < list.length; index++) {
      const container = list[index];
      if (!isObject(container)) continue;
      containers.push({
        container,
        name: asString(container.name) ?? `#${index}`,
        type,
        path: `${specPath}.${type}[${index}]`,
      });
    }
  }
  return {
    owner,
    spec,
    specPath,
    labels: stringMapView(metadata.labels),
    annotations: stringMapView(metadata.annotations),
    metadataPath,
    containers,
    isWindows: asString(asObject(spec.os).name) === 'windows',
    judgedAs,
  };
}
