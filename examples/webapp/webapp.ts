/**
 * The end-to-end example of cdk8s-hardened: a web shop built from hardened workloads, in locked namespaces,
 * with every network flow declared, one audited identity that reads one ConfigMap, and the admission
 * policies that make the cluster enforce what synth checked.
 *
 *   shop (LockedNamespace, Pod Security "restricted")
 *     web     Deployment   the storefront; the ingress controller connects to it
 *     api     Deployment   the shop API; web connects to it; it polls its feature flags ConfigMap through the API
 *     worker  Deployment   queue worker
 *     db      StatefulSet  Postgres with a persistent volume
 *     migrate Job          the schema migration of a release, in a gVisor sandbox
 *     backup  CronJob      nightly pg_dump, uploaded to object storage outside the cluster
 *   node-agents (LockedNamespace, Pod Security "privileged", waived with the reason)
 *     log-agent DaemonSet  reads node logs through a read-only hostPath and ships them out
 *   cluster (plain Chart, cluster-scoped objects)
 *     AdmissionPolicies    one ValidatingAdmissionPolicy + binding per rule of the catalog
 *     gvisor RuntimeClass  the sandbox the migration Job runs in
 *
 * `buildWebapp(app)` builds it; examples/webapp/main.ts synthesizes it; `npm run example` synthesizes every
 * example and checks the output with the CLI (`cdk8s-hardened check`), exactly as CI would check any YAML.
 */
import { App, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AdmissionPolicies,
  AuditedServiceAccount,
  Hardening,
  HardenedCronJob,
  HardenedDaemonSet,
  HardenedDeployment,
  HardenedJob,
  HardenedStatefulSet,
  LockedNamespace,
  PodSecurityLevel,
  SandboxRuntimeClass,
  WorkloadFlows,
} from '../../src';

/** Addresses outside the cluster the app talks to (documentation ranges, RFC 5737: replace with yours). */
export const OUTSIDE = {
  /** The API server's endpoints (`kubectl get endpoints kubernetes`). NetworkPolicy sees the address after the
   * `kubernetes` Service is translated, so the policy names the control plane, port 6443, not 10.96.0.1:443. */
  apiServer: { cidr: '192.0.2.10/32', port: 6443 },
  /** Object storage that receives the database backups. */
  backupStore: { cidr: '198.51.100.0/24', port: 443 },
  /** The log store the node log agent ships to. */
  logStore: { cidr: '203.0.113.0/24', port: 443 },
};

/** The release being deployed: it names the migration Job (a Job's pod template is immutable, see below). */
const RELEASE = 'r42';

// Images are pinned by digest (rule supply-image-digest): a tag can be moved under you, a digest cannot.
const REGISTRY = 'registry.example.com/shop';
const image = (name: string, digest: string) => `${REGISTRY}/${name}@sha256:${digest}`;
const API_IMAGE = image('api', '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b');
const POSTGRES_IMAGE = image('postgres', '3f1e6b2d9c0a4e8f7b5d1c3a9e2f4b6d8a0c2e4f6b8d0a2c4e6f8b0d2a4c6e8f');

// Every container needs requests and limits (rules pod-resource-requests and pod-resource-limits); these also fit the namespace's LimitRange.
const small: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};
const medium: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
};

/** The charts of the example, for tests and for other apps that want to add to them. */
export interface Webapp {
  readonly shop: LockedNamespace;
  readonly nodeAgents: LockedNamespace;
  readonly cluster: Chart;
  /** The identity of the API: the one component that calls the Kubernetes API. */
  readonly apiIdentity: AuditedServiceAccount;
  /** The ConfigMap the API reads through the Kubernetes API. */
  readonly featureFlags: kplus.ConfigMap;
}

/** Builds the whole example into `app`. */
export function buildWebapp(app: App): Webapp {
  // Judge every object of the app at synth with the whole catalog, cross-object rules included (a workload no
  // NetworkPolicy selects, a binding to a missing Role, ...). Synth fails with a table of findings and fixes.
  Hardening.enforce(app);

  const cluster = buildCluster(app);
  const { shop, apiIdentity, featureFlags } = buildShop(app, cluster.gvisor);
  const nodeAgents = buildNodeAgents(app);
  return { shop, nodeAgents, cluster: cluster.chart, apiIdentity, featureFlags };
}

/** Cluster-scoped objects: the admission policies and the sandbox runtime. Applied by the platform team. */
function buildCluster(app: App): { chart: Chart; gvisor: SandboxRuntimeClass } {
  const chart = new Chart(app, 'cluster');
  // The API server judges every object with the same rules as synth (ValidatingAdmissionPolicy, Kubernetes
  // >= 1.30): objects applied by hand or by another tool are held to the same standard. A waiver annotation
  // exempts an object only where the cluster permits it (the params ConfigMap written from `waivable`): here
  // only the node agents' namespace, for exactly the rules its log agent and its Namespace waive. A tenant in
  // `shop` cannot exempt itself from anything. Locked rules have no exemption at all.
  new AdmissionPolicies(chart, 'admission', {
    lockedRules: ['pod-privileged', 'pod-host-namespaces'],
    waivable: {
      namespaces: { 'node-agents': ['ns-pod-security-labels', 'pod-host-path-volumes', 'pod-restricted-volumes'] },
    },
  });
  // gVisor (handler runsc) must be installed on the nodes; the RuntimeClass names it.
  const gvisor = SandboxRuntimeClass.gvisor(chart, 'gvisor');
  return { chart, gvisor };
}

function buildShop(app: App, gvisor: SandboxRuntimeClass): { shop: LockedNamespace; apiIdentity: AuditedServiceAccount; featureFlags: kplus.ConfigMap } {
  // A LockedNamespace is a Chart: everything created inside lands in namespace `shop` and carries the owner
  // label. It brings Pod Security "restricted", default-deny ingress and egress (plus DNS egress to kube-dns),
  // a ResourceQuota and a LimitRange. From here on, a pod talks to nothing that is not declared below.
  const shop = new LockedNamespace(app, 'shop', {
    name: 'shop',
    owner: 'team-shop',
    purpose: 'The web shop: storefront, API, worker, Postgres and its migrations and backups',
  });

  const settings = new kplus.ConfigMap(shop, 'settings', { data: { LOG_LEVEL: 'info' } });
  // Read by the API at run time through the Kubernetes API, so flags change without a rollout.
  const featureFlags = new kplus.ConfigMap(shop, 'feature-flags', {
    metadata: { name: 'feature-flags' },
    data: { 'flags.json': '{"newCheckout":false}' },
  });

  // Database credentials are created by the operators (never in the manifests). They are mounted as files,
  // not environment variables (rule workload-secret-env-var: environments leak into crash dumps and `ps e`).
  const dbSecret = kplus.Secret.fromSecretName(shop, 'db-secret', 'shop-db');
  const dbCredentials = (scope: kplus.AbstractPod, id: string) => kplus.Volume.fromSecret(scope, id, dbSecret, { defaultMode: 0o400 });
  const CREDENTIALS = '/var/run/secrets/shop-db';

  // --- db: Postgres. One replica: Postgres replication needs an operator (and replica-to-replica flows);
  // a single replica keeps the example honest. HardenedStatefulSet writes the claim template and mounts it.
  const db = new HardenedStatefulSet(shop, 'db', {
    replicas: 1,
    containers: [{
      name: 'postgres',
      image: POSTGRES_IMAGE,
      portNumber: 5432,
      resources: medium,
      envVariables: {
        PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
        POSTGRES_PASSWORD_FILE: kplus.EnvValue.fromValue(`${CREDENTIALS}/password`),
      },
      liveness: kplus.Probe.fromCommand(['pg_isready', '-U', 'shop']),
      readiness: kplus.Probe.fromCommand(['pg_isready', '-U', 'shop']),
    }],
    volumeClaimTemplates: [{ name: 'data', storage: Size.gibibytes(20), mountPath: '/var/lib/postgresql/data' }],
  });
  db.containers[0].mount(CREDENTIALS, dbCredentials(db, 'credentials'), { readOnly: true });
  // The root filesystem is read-only: Postgres writes its socket and lock file to a small emptyDir instead.
  db.containers[0].mount('/var/run/postgresql', kplus.Volume.fromEmptyDir(db, 'run', 'run', { sizeLimit: Size.mebibytes(1) }));

  // --- api: its identity reads exactly one ConfigMap. This is the only workload that calls the Kubernetes
  // API, so it is the only one with a token: `apiAccess` records why, and the hardened workload mounts a
  // projected, expiring token instead of the automounted one. Every other workload gets its own
  // AuditedServiceAccount with no permission and no token, made by the hardened construct.
  const apiIdentity = new AuditedServiceAccount(shop, 'api-identity', {
    owner: 'team-shop',
    purpose: 'Identity of the shop API',
    apiAccess: { reason: 'polls its feature-flags ConfigMap every 30s so flags change without a rollout', expirationSeconds: 3600 },
  });
  apiIdentity.allowReadConfigMap(featureFlags.name); // get on configmaps/feature-flags in shop; nothing else

  const api = new HardenedDeployment(shop, 'api', {
    replicas: 3, // > 1 replica: the library adds a PodDisruptionBudget and spreads pods over nodes and zones
    serviceAccount: apiIdentity,
    containers: [{
      name: 'api',
      image: API_IMAGE,
      portNumber: 8080,
      resources: medium,
      envFrom: [kplus.Env.fromConfigMap(settings)],
      envVariables: {
        DATABASE_HOST: kplus.EnvValue.fromValue(db.service.name),
        DATABASE_PASSWORD_FILE: kplus.EnvValue.fromValue(`${CREDENTIALS}/password`),
        FEATURE_FLAGS_CONFIGMAP: kplus.EnvValue.fromValue(featureFlags.name),
      },
      liveness: kplus.Probe.fromHttpGet('/healthz'),
      readiness: kplus.Probe.fromHttpGet('/ready'),
    }],
  });
  api.containers[0].mount(CREDENTIALS, dbCredentials(api, 'credentials'), { readOnly: true });
  const apiService = api.exposeViaService({ ports: [{ port: 80, targetPort: 8080, name: 'http' }] });

  // --- web: the storefront, reached through the cluster's ingress controller.
  const web = new HardenedDeployment(shop, 'web', {
    replicas: 2,
    containers: [{
      name: 'web',
      image: image('web', '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'),
      portNumber: 8080,
      resources: small,
      envVariables: { API_URL: kplus.EnvValue.fromValue(`http://${apiService.name}`) },
      liveness: kplus.Probe.fromHttpGet('/'),
      readiness: kplus.Probe.fromHttpGet('/'),
    }],
  });
  web.exposeViaService({ ports: [{ port: 80, targetPort: 8080, name: 'http' }] }); // ClusterIP: no NodePort, no LoadBalancer

  // --- worker: consumes the queue table in Postgres; serves nothing.
  const worker = new HardenedDeployment(shop, 'worker', {
    replicas: 2,
    containers: [{
      name: 'worker',
      image: image('worker', '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b'),
      command: ['/app/worker'],
      resources: medium,
      envVariables: { DATABASE_HOST: kplus.EnvValue.fromValue(db.service.name), DATABASE_PASSWORD_FILE: kplus.EnvValue.fromValue(`${CREDENTIALS}/password`) },
      liveness: kplus.Probe.fromCommand(['/app/worker', 'health']),
      readiness: kplus.Probe.fromCommand(['/app/worker', 'ready']),
    }],
  });
  worker.containers[0].mount(CREDENTIALS, dbCredentials(worker, 'credentials'), { readOnly: true });

  // --- migrate: the schema migration of this release. A Job's pod template is immutable, so each release
  // gets its own Job name; the deploy tool runs it before the API rollout (Argo CD sync wave, Flux dependsOn).
  // Migrations run code that has not served traffic yet, so the Job runs in the gVisor sandbox.
  // Jobs run to completion: the probe rules do not judge batch pods, so no probes and no waivers are needed.
  const migrate = new HardenedJob(shop, 'migrate', {
    metadata: { name: `migrate-${RELEASE}` },
    runtimeClass: gvisor,
    containers: [{
      name: 'migrate',
      image: API_IMAGE,
      command: ['/app/api', 'migrate', '--wait-for-lock'],
      resources: small,
      envVariables: { DATABASE_HOST: kplus.EnvValue.fromValue(db.service.name), DATABASE_PASSWORD_FILE: kplus.EnvValue.fromValue(`${CREDENTIALS}/password`) },
    }],
  });
  migrate.containers[0].mount(CREDENTIALS, dbCredentials(migrate, 'credentials'), { readOnly: true });

  // --- backup: nightly pg_dump, streamed to object storage. concurrencyPolicy Forbid, deadlines and TTL
  // are the library's defaults for CronJobs.
  const backup = new HardenedCronJob(shop, 'backup', {
    schedule: Cron.daily(),
    containers: [{
      name: 'backup',
      image: image('backup', '7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b'),
      command: ['/bin/backup', '--to', 's3://shop-backups/postgres'],
      resources: small,
      envVariables: { PGHOST: kplus.EnvValue.fromValue(db.service.name), PGPASSFILE: kplus.EnvValue.fromValue(`${CREDENTIALS}/pgpass`) },
    }],
  });
  backup.containers[0].mount(CREDENTIALS, dbCredentials(backup, 'credentials'), { readOnly: true });

  // --- Declared flows. Each call writes both halves (egress on the client, ingress on the server) as the
  // narrowest NetworkPolicies: pod selectors, explicit ports. Without a port, the server's container ports
  // are used (db: 5432). Anything not listed here is denied by the namespace's default deny.
  WorkloadFlows.of(web).allowFromIngressController();                    // ingress-nginx -> web:8080
  WorkloadFlows.of(api).allowFrom(web, { port: 8080 });                  // web -> api:8080
  for (const client of [api, worker, migrate, backup]) {
    WorkloadFlows.of(db).allowFrom(client);                              // api, worker, migrate, backup -> db:5432
  }
  WorkloadFlows.of(backup).allowEgressToCidr(OUTSIDE.backupStore.cidr, { port: OUTSIDE.backupStore.port });
  WorkloadFlows.of(api).allowEgressToCidr(OUTSIDE.apiServer.cidr, { port: OUTSIDE.apiServer.port }); // its one API call

  return { shop, apiIdentity, featureFlags };
}

/**
 * The node log agent. It must read /var/log on each node, and a hostPath volume is forbidden by Pod Security
 * "baseline" already, so its namespace runs at "privileged", waived with the reason. That is the only
 * weakening: the agent's pod is still non-root, read-only, without capabilities and under RuntimeDefault
 * seccomp and AppArmor; the library's admission policies keep enforcing all of that in this namespace
 * (only the two hostPath rules are exempted: the waivers on the pod template, permitted by the admission params).
 * A separate namespace keeps the privileged PSA level away from the shop.
 */
function buildNodeAgents(app: App): LockedNamespace {
  const nodeAgents = new LockedNamespace(app, 'node-agents', {
    name: 'node-agents',
    owner: 'team-platform',
    purpose: 'Node-level agents that need host access: the log shipper',
    podSecurityLevel: PodSecurityLevel.PRIVILEGED,
    waivers: [{
      ruleId: 'ns-pod-security-labels',
      reason: 'the log agent mounts /var/log from the node (hostPath); Pod Security baseline and restricted both forbid hostPath, '
        + 'so the namespace admits it and the hardened.cdk8s.io admission policies enforce every other control',
    }],
  });

  const varLog = kplus.Volume.fromHostPath(nodeAgents, 'varlog', 'varlog', { path: '/var/log' });
  const agent = new HardenedDaemonSet(nodeAgents, 'log-agent', {
    containers: [{
      name: 'agent',
      image: image('log-agent', '5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d'),
      portNumber: 2020,
      resources: small,
      liveness: kplus.Probe.fromHttpGet('/api/v1/health'),
      readiness: kplus.Probe.fromHttpGet('/api/v1/health'),
      // Read-only: the agent can read node logs but never write to the node.
      volumeMounts: [{ path: '/var/log', volume: varLog, readOnly: true }],
    }],
    // Both rules that judge a hostPath volume. Host namespaces, privileged mode and capabilities stay forbidden.
    // The agent runs as a non-root user: the node must let its group read the logs (container logs are
    // root-only on many distributions). If yours cannot, running it as root is a further, explicit waiver of
    // pod-run-as-non-root, never privileged mode.
    waivers: [
      { ruleId: 'pod-host-path-volumes', reason: 'log shipper reads node logs from /var/log (read-only mount)' },
      { ruleId: 'pod-restricted-volumes', reason: 'hostPath is the only way to read node logs (read-only mount)' },
    ],
  });
  // Its only traffic: shipping logs out (DNS comes with the namespace; kubelet probes are always allowed).
  WorkloadFlows.of(agent).allowEgressToCidr(OUTSIDE.logStore.cidr, { port: OUTSIDE.logStore.port });
  return nodeAgents;
}
