/**
 * Type checks of the fields the rules read. The rules read defensively and never throw, so a wrong type
 * (`privileged: "true"`, `containers: "app"`) would otherwise simply be passed over; the API server would
 * reject such an object, and the scanner must not call it clean either. This is not a full schema check:
 * it covers the identity fields, the pod spec fields and the RBAC fields that security rules judge. Unknown fields are
 * left alone (CRDs and newer API versions add fields all the time).
 */
import { isObject } from '../core/json';
import type { CheckInput, InputProblem, K8sObject } from '../core/types';
import { viewObject } from '../core/views';
import { WORKLOAD_KIND_TABLE } from '../core/workload-kinds';

type Shape =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'object'
  | 'stringMap'
  | { readonly fields: Readonly<Record<string, Shape>> }
  | { readonly items: Shape };

// Field tables without a prototype: a key such as `constructor` or `__proto__` finds nothing, with no own-property test.
const fields = (f: Record<string, Shape>): Shape => ({ fields: Object.assign(Object.create(null) as Record<string, Shape>, f) });
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

/**
 * The shape of a workload kind, from its template path in the workload-kinds table. Every object on the path
 * that holds a `spec` (the object itself, a CronJob's jobTemplate) also carries ObjectMeta.
 */
function workloadShape(templatePath: readonly string[]): Shape {
  if (templatePath.length === 0) return fields({ metadata: METADATA, spec: POD_SPEC });
  let shape = TEMPLATE;
  for (let i = templatePath.length - 1; i >= 0; i--) {
    const key = templatePath[i];
    shape = fields(i === 0 || key === 'spec' ? { metadata: METADATA, [key]: shape } : { [key]: shape });
  }
  return shape;
}

/** Shapes by kind: the parts of each object that the catalog judges. */
const BY_KIND: Record<string, Shape> = Object.fromEntries(WORKLOAD_KIND_TABLE.map((w) => [w.kind, workloadShape(w.templatePath)]));
// RBAC: a string where a list belongs (`verbs: "*"`) would otherwise be read as "no verbs" and pass.
const POLICY_RULES = list(fields({
  apiGroups: list('string'),
  resources: list('string'),
  resourceNames: list('string'),
  nonResourceURLs: list('string'),
  verbs: list('string'),
}));
const ROLE_REF = fields({ apiGroup: 'string', kind: 'string', name: 'string' });
const SUBJECTS = list(fields({ kind: 'string', name: 'string', namespace: 'string', apiGroup: 'string' }));
BY_KIND.Role = fields({ metadata: METADATA, rules: POLICY_RULES });
BY_KIND.ClusterRole = fields({ metadata: METADATA, rules: POLICY_RULES, aggregationRule: fields({ clusterRoleSelectors: list('object') }) });
BY_KIND.RoleBinding = fields({ metadata: METADATA, roleRef: ROLE_REF, subjects: SUBJECTS });
BY_KIND.ClusterRoleBinding = fields({ metadata: METADATA, roleRef: ROLE_REF, subjects: SUBJECTS });
const ANY_KIND: Shape = fields({ metadata: METADATA, spec: 'object' });

/** At most this many type errors are listed per object (the first ones say enough). */
const MAX_ERRORS = 10;

/** The type errors of an object (`spec.containers[0].securityContext.privileged must be a boolean, got string`). */
export function shapeErrors(object: K8sObject): string[] {
  const shape = (typeof object.kind === 'string' && BY_KIND[object.kind]) || ANY_KIND;
  const errors: string[] = [];
  check(object, shape, [], errors);
  return errors.length > MAX_ERRORS ? [...errors.slice(0, MAX_ERRORS), `and ${errors.length - MAX_ERRORS} more type errors`] : errors;
}


/**
 * The type errors of one input as input problems of its object. The engine runs this on every object before any
 * rule, so every judge (the CLI, the plugin, `Hardening.enforce`, a hardened workload's self-check) reports a
 * wrong type the same way, once. Inputs that are not objects are left to the engine's identity check.
 */
export function shapeProblems(input: CheckInput): InputProblem[] {
  if (!isObject(input.object)) return [];
  const errors = shapeErrors(input.object);
  if (errors.length === 0) return [];
  const view = viewObject(input.object, input.source);
  const label = `${view.kind || '(no kind)'} ${view.namespace ? `${view.namespace}/` : ''}${view.name || '(no name)'}`;
  return errors.map((error) => ({ file: input.source?.file, line: input.source?.line, kind: view.kind, name: view.name, message: `${label}: ${error}` }));
}

/** The type errors of a set of inputs, for commands that read objects without judging them (`images`). */
export function typeProblems(inputs: readonly CheckInput[]): InputProblem[] {
  return inputs.flatMap(shapeProblems);
}

/**
 * Checks a value against its shape. Written without closures and with the path kept as segments that are
 * joined only for an error: this runs over every object of a scan, so it must stay cheap.
 */
function check(value: unknown, shape: Shape, path: Array<string | number>, errors: string[]): void {
  if (value === undefined || value === null) return; // absent (or null, which Kubernetes treats as absent)
  if (typeof shape === 'string') {
    const expected = mismatch(value, shape);
    if (expected) {errors.push(`${pathText(path)} must be ${expected}, got ${typeName(value)}`);} else if (shape === 'stringMap') {
      for (const key of Object.keys(value as object)) {
        const v = (value as Record<string, unknown>)[key];
        if (typeof v !== 'string') errors.push(`${pathText(path)}.${key} must be a string, got ${typeName(v)}`);
      }
    }
    return;
  }
  if ((shape as { items?: Shape }).items !== undefined) {
    const items = (shape as { items: Shape }).items;
    if (!Array.isArray(value)) {
      errors.push(`${pathText(path)} must be a list, got ${typeName(value)}`);
      return;
    }
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      if (value[i] === null) errors.push(`${pathText(path)} must not be null`);
      else check(value[i], items, path, errors);
      path.pop();
    }
    return;
  }
  if (!isObject(value)) {
    errors.push(`${pathText(path)} must be a mapping, got ${typeName(value)}`);
    return;
  }
  // Objects hold few keys: walk the object's keys, not every field the shape knows.
  const known = (shape as { fields: Readonly<Record<string, Shape>> }).fields;
  for (const key in value) {
    const fieldShape = known[key];
    if (fieldShape === undefined) continue;
    path.push(key);
    check(value[key], fieldShape, path, errors);
    path.pop();
  }
  if (shape === SECURITY_CONTEXT) refusedSecurityContext(value, path, errors);
}

/**
 * What in a container security context makes the API server refuse `allowPrivilegeEscalation: false` beside it:
 * `privileged: true`, or an added capability spelled `CAP_SYS_ADMIN` (compared as written). Undefined when nothing does.
 * Shared by this pass (which reports the pair) and the hardening core (which never writes it).
 */
export function escalationRequiredBy(sc: Record<string, unknown>): string | undefined {
  const add = isObject(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
  return sc.privileged === true ? 'privileged: true' : add.includes('CAP_SYS_ADMIN') ? 'an added CAP_SYS_ADMIN' : undefined;
}

/**
 * A container security context the API server refuses although every field has its type (Kubernetes'
 * ValidateSecurityContext): `allowPrivilegeEscalation: false` beside `privileged: true`, or beside an added capability
 * spelled `CAP_SYS_ADMIN` (compared as written). Such a pod never runs, so the object must not read as judged.
 */
function refusedSecurityContext(sc: Record<string, unknown>, path: ReadonlyArray<string | number>, errors: string[]): void {
  if (sc.allowPrivilegeEscalation !== false) return;
  const beside = escalationRequiredBy(sc);
  if (beside === undefined) return;
  errors.push(
    `${pathText(path)}: the API server refuses allowPrivilegeEscalation: false beside ${beside} (such a container always may escalate): ` +
    'set allowPrivilegeEscalation: true there, which pod-allow-privilege-escalation then reports, or remove the privilege',
  );
}

/** What a leaf value should have been, or undefined when it fits. */
function mismatch(value: unknown, shape: 'string' | 'boolean' | 'integer' | 'object' | 'stringMap'): string | undefined {
  switch (shape) {
    case 'string':
      return typeof value === 'string' ? undefined : 'a string';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'a boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : 'an integer';
    case 'object':
      return isObject(value) ? undefined : 'a mapping';
    case 'stringMap':
      return isObject(value) ? undefined : 'a mapping of strings';
  }
}

function pathText(path: ReadonlyArray<string | number>): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  return text;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}
