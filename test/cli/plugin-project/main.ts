// A small app for the plugin test. HARDENED_TEST_VARIANT=bad adds a privileged Deployment that the
// validation plugin must report and fail synth on; otherwise every object is clean.
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });

new ApiObject(chart, 'config', {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { mode: 'production' },
});

if (process.env.HARDENED_TEST_VARIANT === 'bad') {
  new ApiObject(chart, 'agent', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'node-agent' },
    spec: {
      selector: { matchLabels: { app: 'node-agent' } },
      template: {
        metadata: { labels: { app: 'node-agent' } },
        spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', securityContext: { privileged: true } }] },
      },
    },
  });
}

app.synth();
