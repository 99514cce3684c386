/**
 * Synthesizes the web shop example (examples/webapp/webapp.ts) into $CDK8S_OUTDIR (default dist):
 * cluster.k8s.yaml (admission policies, RuntimeClass), shop.k8s.yaml, node-agents.k8s.yaml.
 * `npm run example` runs this and checks the output with `cdk8s-hardened check`.
 */
import { App } from 'cdk8s';
import { buildWebapp } from './webapp';

const app = new App();
buildWebapp(app);
app.synth();
