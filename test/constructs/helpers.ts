/** Shared fixtures for the construct tests: digest-pinned images, probes, resources, synth and schema checks. */
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as yaml from 'js-yaml';
import { checkObjects } from '../../src/engine/engine';
import { ALL_RULES } from '../../src/rules';
import { validateK8sObjects } from '../util/k8s-schema';

export const image = (name: string, digestChar = 'a') => `registry.example.com/team/${name}@sha256:${digestChar.repeat(64)}`;

export const resources: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/** A long-running web container with probes and resources. */
export function webContainer(name = 'web', port = 8080): kplus.ContainerProps {
  return {
    name,
    image: image(name),
    portNumber: port,
    resources,
    liveness: kplus.Probe.fromHttpGet('/healthz', { port }),
    readiness: kplus.Probe.fromHttpGet('/ready', { port }),
  };
}

/** A run-to-completion container (no probes). */
export function batchContainer(name = 'task'): kplus.ContainerProps {
  return { name, image: image(name, 'b'), resources, command: ['/app/run'] };
}

/** Namespace of the test charts: workloads in `default` are a finding of the namespace rules. */
export const NAMESPACE = 'shop';

export function newChart(id = 'test'): { app: App; chart: Chart } {
  const app = new App({ outdir: '/tmp/cdk8s-hardened-test' });
  return { app, chart: new Chart(app, id, { namespace: NAMESPACE, labels: { 'hardened.cdk8s.io/owner': 'team-shop' } }) };
}

/** Synthesizes through `app.synthYaml()` (which runs every construct's validation) and parses the documents. */
export function synth(app: App): any[] {
  return yaml.loadAll(app.synthYaml()) as any[];
}

export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/** The pod spec of a workload object. */
export function podSpec(object: any): any {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
}

export function podTemplate(object: any): any {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template;
}

export function allContainers(object: any): any[] {
  const spec = podSpec(object);
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
}

/** Validates every object against the Kubernetes schema of its apiVersion and kind (throws on a schema error or unknown kind). */
export const validateSchemas = validateK8sObjects;

/**
 * The security properties every hardened pod must have, whatever rules the catalog holds. Returns the list
 * of violated properties (empty when the pod is hardened).
 */
export function hardeningGaps(object: any): string[] {
  const gaps: string[] = [];
  const spec = podSpec(object);
  const pod = spec.securityContext ?? {};
  if (pod.runAsNonRoot !== true) gaps.push('pod runAsNonRoot');
  if (!(pod.runAsUser >= 10000)) gaps.push('pod runAsUser >= 10000');
  if (!(pod.runAsGroup >= 10000)) gaps.push('pod runAsGroup >= 10000');
  if (pod.seccompProfile?.type !== 'RuntimeDefault' && pod.seccompProfile?.type !== 'Localhost') gaps.push('pod seccomp');
  const appArmorAnnotations = Object.keys(podTemplate(object).metadata?.annotations ?? {}).filter((k) => k.startsWith('container.apparmor'));
  if (!pod.appArmorProfile && appArmorAnnotations.length === 0) gaps.push('pod AppArmor');
  if (spec.automountServiceAccountToken !== false) gaps.push('automountServiceAccountToken false');
  if (!spec.serviceAccountName || spec.serviceAccountName === 'default') gaps.push('own ServiceAccount');
  if (spec.hostNetwork === true || spec.hostPID === true || spec.hostIPC === true) gaps.push('no host namespaces');
  const emptyDirs = new Set((spec.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name));
  for (const c of allContainers(object)) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) gaps.push(`${c.name} readOnlyRootFilesystem`);
    if (sc.allowPrivilegeEscalation !== false) gaps.push(`${c.name} allowPrivilegeEscalation false`);
    if (sc.privileged === true) gaps.push(`${c.name} not privileged`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) gaps.push(`${c.name} drops ALL`);
    if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) gaps.push(`${c.name} adds only NET_BIND_SERVICE`);
    if (sc.runAsNonRoot === false) gaps.push(`${c.name} runAsNonRoot`);
    for (const key of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (!c.resources?.[key]?.[resource]) gaps.push(`${c.name} ${key}.${resource}`);
      }
    }
    if (!(c.volumeMounts ?? []).some((m: any) => m.mountPath === '/tmp' && emptyDirs.has(m.name))) gaps.push(`${c.name} emptyDir at /tmp`);
    if ((c.ports ?? []).some((p: any) => p.hostPort !== undefined)) gaps.push(`${c.name} no host ports`);
  }
  if ((spec.volumes ?? []).some((v: any) => v.hostPath)) gaps.push('no hostPath volumes');
  return gaps;
}

/** Long-running workloads also need probes on every regular container. */
export function probeGaps(object: any): string[] {
  return (podSpec(object).containers ?? []).flatMap((c: any) => [
    ...(c.livenessProbe ? [] : [`${c.name} livenessProbe`]),
    ...(c.readinessProbe ? [] : [`${c.name} readinessProbe`]),
  ]);
}

/** Findings of the engine's object and pod rules (all the catalog has) over the objects. */
export function engineFindings(objects: any[]): string[] {
  const rules = ALL_RULES.filter((r) => r.scope !== 'set').map((r) => r.id);
  return checkObjects(objects.map((object) => ({ object })), { rules, settings: { completeSet: false } })
    .findings.map((f) => `${f.ruleId} ${f.kind}/${f.name} ${f.path}`);
}
