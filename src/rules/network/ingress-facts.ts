/** What an Ingress (networking.k8s.io/v1) routes: its hosts, TLS entries and Service backends, read defensively. */
import { asArray, asObject, asString, isObject } from '../../core/json';
import type { ObjectView } from '../../core/views';

/** One place that routes traffic: a rule (with or without host) or the default backend, which answers every host. */
export interface IngressRoute {
  /** The rule's host; undefined for a rule without host and for the default backend (both serve every name). */
  readonly host?: string;
  readonly path: string;
}

/** A Service an Ingress sends traffic to, and where in the object it is named. */
export interface IngressBackend {
  readonly service: string;
  /** `port.number` or `port.name` of the backend (the old `servicePort`, int or string, for beta objects). */
  readonly port?: number | string;
  readonly path: string;
}

function spec(ingress: ObjectView) {
  return asObject(ingress.object.spec);
}

/** Rules (each with its host) and the default backend, in object order. */
export function ingressRoutes(ingress: ObjectView): IngressRoute[] {
  const s = spec(ingress);
  const routes: IngressRoute[] = asArray(s.rules).map((rule, i) => {
    const host = asString(asObject(rule).host);
    return { host: host === '' ? undefined : host, path: `spec.rules[${i}]` };
  });
  if (isObject(s.defaultBackend)) routes.push({ path: 'spec.defaultBackend' });
  return routes;
}

/** The hosts of every TLS entry; `hostless` when an entry lists none (the controller's default certificate, every name). */
export function tlsHosts(ingress: ObjectView): { hosts: string[]; hostless: boolean } {
  const hosts: string[] = [];
  let hostless = false;
  for (const entry of asArray(spec(ingress).tls)) {
    const list = asArray(asObject(entry).hosts).map(asString).filter((h): h is string => h !== undefined && h !== '');
    if (list.length === 0) hostless = true;
    hosts.push(...list);
  }
  return { hosts, hostless };
}

/**
 * Whether a TLS host covers a rule host: the same name, or a wildcard `*.example.com` covering exactly one more
 * label (`a.example.com`, not `a.b.example.com`), as certificates and controllers match them.
 */
export function tlsCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.substring(dot) === tlsHost.substring(1);
}

function backendOf(value: unknown, path: string): IngressBackend | undefined {
  const backend = asObject(value);
  if (isObject(backend.service)) {
    const port = asObject(backend.service.port);
    const number = typeof port.number === 'number' ? port.number : undefined;
    return { service: asString(backend.service.name) ?? '', port: number ?? asString(port.name), path: `${path}.service` };
  }
  const legacy = asString(backend.serviceName);
  if (legacy !== undefined) {
    const port = backend.servicePort;
    return { service: legacy, port: typeof port === 'number' || typeof port === 'string' ? port : undefined, path };
  }
  return undefined;
}

/** Every Service backend (default backend first, then each path), skipping `resource` backends. */
export function ingressBackends(ingress: ObjectView): IngressBackend[] {
  const s = spec(ingress);
  const backends: IngressBackend[] = [];
  const defaultBackend = backendOf(s.defaultBackend, 'spec.defaultBackend');
  if (defaultBackend) backends.push(defaultBackend);
  asArray(s.rules).forEach((rule, i) => {
    asArray(asObject(asObject(rule).http).paths).forEach((p, j) => {
      const backend = backendOf(asObject(p).backend, `spec.rules[${i}].http.paths[${j}].backend`);
      if (backend) backends.push(backend);
    });
  });
  return backends;
}
