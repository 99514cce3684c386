import { pod, violations } from './support';

const ID = 'pod-host-ports';

describe(ID, () => {
  test('passes container ports without hostPort or with hostPort 0', () => {
    expect(violations(ID, pod({ containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] }] }))).toEqual([]);
  });

  test('reports each host port of every container type', () => {
    const spec = {
      containers: [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 443 }] }],
      initContainers: [{ name: 'init', ports: [{ containerPort: 9, hostPort: 9 }] }],
    };
    expect(violations(ID, pod(spec))).toEqual([
      { path: 'spec.containers[0].ports[1].hostPort', message: 'container "web" binds host port 443' },
      { path: 'spec.initContainers[0].ports[0].hostPort', message: 'init container "init" binds host port 9' },
    ]);
  });

  test('malformed hostPort values and port lists are reported', () => {
    expect(violations(ID, pod({ containers: [{ name: 'c', ports: [{ hostPort: '8080' }] }] }))[0].message).toBe('container "c" binds host port "8080"');
    expect(violations(ID, pod({ containers: [{ name: 'c', ports: { hostPort: 1 } }] }))[0].path).toBe('spec.containers[0].ports');
  });
});
