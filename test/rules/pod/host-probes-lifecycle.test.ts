import { pod, violations } from './support';

const ID = 'pod-host-probes-lifecycle';

describe(ID, () => {
  test('passes probes and hooks that target the pod', () => {
    const c = { name: 'c', livenessProbe: { httpGet: { port: 80, host: '' } }, readinessProbe: { tcpSocket: { port: 80 } }, lifecycle: { preStop: { exec: { command: ['x'] } } } };
    expect(violations(ID, pod({ containers: [c] }))).toEqual([]);
  });

  test('reports every probe and hook with a host, per container', () => {
    const spec = {
      containers: [{
        name: 'app',
        livenessProbe: { httpGet: { port: 80, host: '169.254.169.254' } },
        startupProbe: { tcpSocket: { port: 22, host: 'node.local' } },
        lifecycle: { postStart: { httpGet: { port: 80, host: 'admin' } }, preStop: { tcpSocket: { port: 1, host: 'x' } } },
      }],
      initContainers: [{ name: 'init', readinessProbe: { httpGet: { port: 80, host: 'y' } } }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].lifecycle.postStart.httpGet.host', message: 'container "app" lifecycle.postStart httpGet targets host "admin"' },
      { path: 'spec.containers[0].lifecycle.preStop.tcpSocket.host', message: 'container "app" lifecycle.preStop tcpSocket targets host "x"' },
      { path: 'spec.containers[0].livenessProbe.httpGet.host', message: 'container "app" livenessProbe httpGet targets host "169.254.169.254"' },
      { path: 'spec.containers[0].startupProbe.tcpSocket.host', message: 'container "app" startupProbe tcpSocket targets host "node.local"' },
      { path: 'spec.initContainers[0].readinessProbe.httpGet.host', message: 'init container "init" readinessProbe httpGet targets host "y"' },
    ]);
  });

  test('a non-string host is reported', () => {
    expect(violations(ID, pod({ containers: [{ name: 'c', livenessProbe: { httpGet: { host: 10 } } }] }))[0].message).toBe('container "c" livenessProbe httpGet targets host 10');
  });
});
