/** Small builders for plain-JSON fixtures used by the network and namespace tests. */

export interface PortSpec {
  readonly containerPort: number;
  readonly name?: string;
  readonly protocol?: string;
}

export function deployment(name: string, ns: string | undefined, labels: Record<string, string>, ports: PortSpec[] = []) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(ns ? { namespace: ns } : {}) },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'main', image: 'registry.example/app@sha256:' + '0'.repeat(64), ports }] },
      },
    },
  };
}

export function policy(name: string, ns: string, spec: Record<string, unknown>) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export function namespace(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export const denyAll = (ns: string) => policy('deny-all', ns, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
