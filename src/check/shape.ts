/**
 * Type checks of the fields the rules read. The rules read defensively and never throw, so a wrong type
 * (`privileged: "true"`, `containers: "app"`) would otherwise simply be passed over; the API server would
 * reject such an object, and the scanner must not call it clean either. This is not a full schema check:
 * it covers the identity fields and the pod spec fields that security rules judge. Unknown fields are
 * left alone (CRDs and newer API versions add fields all the time).
 */
import { isObject } from './json';
import type { K8sObject } from './types';

type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'object'
  | 'stringMap'
  | { readonly fields: Readonly<Record<string, Shape>> }
  | { readonly items: Shape };

const fields = (f: Record<string, Shape>): Shape => ({ fields: f });
const list = (items: Shape): Shape => ({ items });

const PROFILE = fields({ type: 'string', localhostProfile: 'string' });
const SECURITY_CONTEXT = fields({
  privileged: 'boolean',
  allowPrivilegeEscalation: 'boolean',
  readOnlyRootFilesystem: 'boolean',
  runAsNonRoot: 'boolean',
  runAsUser: 'integer',
  runAsGroup: 'integer',
  procMount: 'string',
  capabilities: fields({ add: list('string'), drop: list('string') }),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: fields({ user: 'string', role: 'string', type: 'string', level: 'string' }),
  windowsOptions: fields({ hostProcess: 'boolean' }),
});
const CONTAINER = fields({
  name: 'string',
  image: 'string',
  imagePullPolicy: 'string',
  securityContext: SECURITY_CONTEXT,
  ports: list(fields({ containerPort: 'integer', hostPort: 'integer', hostIP: 'string', protocol: 'string' })),
  resources: fields({ limits: 'object', requests: 'object' }),
  volumeMounts: list(fields({ name: 'string', mountPath: 'string', readOnly: 'boolean' })),
  env: list('object'),
  livenessProbe: 'object',
  readinessProbe: 'object',
  startupProbe: 'object',
});
const POD_SPEC = fields({
  containers: list(CONTAINER),
  initContainers: list(CONTAINER),
  ephemeralContainers: list(CONTAINER),
  volumes: list(fields({ name: 'string', hostPath: fields({ path: 'string', type: 'string' }) })),
  securityContext: fields({
    runAsNonRoot: 'boolean',
    runAsUser: 'integer',
    runAsGroup: 'integer',
    fsGroup: 'integer',
    supplementalGroups: list('integer'),
    seccompProfile: PROFILE,
    appArmorProfile: PROFILE,
    seLinuxOptions: fields({ user: 'string', role: 'string', type: 'string', level: 'string' }),
    sysctls: list(fields({ name: 'string', value: 'string' })),
    windowsOptions: fields({ hostProcess: 'boolean' }),
  }),
  hostNetwork: 'boolean',
  hostPID: 'boolean',
  hostIPC: 'boolean',
  shareProcessNamespace: 'boolean',
  automountServiceAccountToken: 'boolean',
  serviceAccountName: 'string',
  runtimeClassName: 'string',
  nodeSelector: 'stringMap',
  tolerations: list('object'),
  os: fields({ name: 'string' }),
});
const METADATA = fields({ name: 'string', generateName: 'string', namespace: 'string', labels: 'stringMap', annotations: 'stringMap' });
const TEMPLATE = fields({ metadata: METADATA, spec: POD_SPEC });

/** Shapes by kind: the parts of each object that the catalog judges. */
const BY_KIND: Record<string, Shape> = {
  Pod: fields({ metadata: METADATA, spec: POD_SPEC }),
  Deployment: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  StatefulSet: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  DaemonSet: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  ReplicaSet: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  ReplicationController: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  Job: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }),
  CronJob: fields({ metadata: METADATA, spec: fields({ jobTemplate: fields({ metadata: METADATA, spec: fields({ template: TEMPLATE }) }) }) }),
  PodTemplate: fields({ metadata: METADATA, template: TEMPLATE }),
};
const ANY_KIND: Shape = fields({ metadata: METADATA, spec: 'object' });

/** At most this many type errors are listed per object (the first ones say enough). */
const MAX_ERRORS = 10;

/** The type errors of an object (`spec.containers[0].securityContext.privileged must be a boolean, got string`). */
export function shapeErrors(object: K8sObject): string[] {
  const shape = (typeof object.kind === 'string' && BY_KIND[object.kind]) || ANY_KIND;
  const errors: string[] = [];
  check(object, shape, '', errors);
  return errors.length > MAX_ERRORS ? [...errors.slice(0, MAX_ERRORS), `and ${errors.length - MAX_ERRORS} more type errors`] : errors;
}

function check(value: unknown, shape: Shape, path: string, errors: string[]): void {
  if (value === undefined || value === null) return; // absent (or null, which Kubernetes treats as absent)
  const fail = (expected: string) => errors.push(`${path} must be ${expected}, got ${typeName(value)}`);
  if (shape === 'string') {
    if (typeof value !== 'string') fail('a string');
  } else if (shape === 'boolean') {
    if (typeof value !== 'boolean') fail('a boolean');
  } else if (shape === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
  } else if (shape === 'object') {
    if (!isObject(value)) fail('a mapping');
  } else if (shape === 'stringMap') {
    if (!isObject(value)) fail('a mapping of strings');
    else for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') errors.push(`${path}.${k} must be a string, got ${typeName(v)}`);
  } else if ('items' in shape) {
    if (!Array.isArray(value)) fail('a list');
    else value.forEach((item, i) => (item === null ? errors.push(`${path}[${i}] must not be null`) : check(item, shape.items, `${path}[${i}]`, errors)));
  } else if (!isObject(value)) {
    fail('a mapping');
  } else {
    for (const [key, fieldShape] of Object.entries(shape.fields)) check(value[key], fieldShape, path ? `${path}.${key}` : key, errors);
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}
