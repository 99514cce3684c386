import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Hardening, HardenedDeployment, LockedNamespace, WorkloadFlows } from '../../src';

const app = new App();
// Judge every object of the app with the rule catalog at synth; any finding fails `cdk8s synth`.
Hardening.enforce(app);

const chart = new Chart(app, 'shop');
// A tenant namespace: Pod Security "restricted" (pinned), default-deny ingress and egress (DNS allowed),
// ResourceQuota and LimitRange. Everything created inside it lands in the namespace.
const shop = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: 'Online shop' });

// Non-root, all capabilities dropped, seccomp and AppArmor RuntimeDefault, read-only root with /tmp scratch,
// no service account token, its own AuditedServiceAccount, a PodDisruptionBudget and topology spread.
const web = new HardenedDeployment(shop, 'web', {
  containers: [{
    image: 'registry.example.com/shop/web@sha256:2f0c2c5d8e7a1b4f6c3d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c',
    portNumber: 8080,
    resources: {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    },
    liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
  }],
});
// The only traffic the web pods accept: from the ingress controller, on their container port.
WorkloadFlows.of(web).allowFromIngressController();

app.synth();
