/**
 * The checker benchmarks' input: N objects, half Deployments, half Services, about 800 bytes of YAML each
 * (10,000 objects are about 8 MB). Shared by checker.bench.ts (in-process) and process.bench.ts (whole process).
 */
import * as fs from 'fs';

/**
 * A realistic Deployment + Service pair; one Deployment in a hundred runs privileged, so findings exist (and says
 * allowPrivilegeEscalation: true, as it must: the API server refuses false beside privileged).
 */
function pair(i: number): string {
  const privileged = i % 100 === 0;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels: {app.kubernetes.io/name: app-${i}, app.kubernetes.io/part-of: shop, tier: backend}
  annotations:
    owner: team-${i % 20}@example.com
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: app-${i}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: app-${i}, tier: backend}
    spec:
      serviceAccountName: app-${i}
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: registry.example.com/shop/app-${i}@sha256:${(i * 2654435761).toString(16).padStart(16, '0').repeat(4).slice(0, 64)}
          ports: [{containerPort: 8080, name: http}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: PORT, value: "8080"}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          readinessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 10}
          livenessProbe: {httpGet: {path: /livez, port: http}, periodSeconds: 20}
          securityContext:
            allowPrivilegeEscalation: ${privileged}
            readOnlyRootFilesystem: true
            privileged: ${privileged}
            capabilities: {drop: [ALL]}
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: team-${i % 20}
  labels: {app.kubernetes.io/name: app-${i}}
spec:
  selector: {app.kubernetes.io/name: app-${i}}
  ports: [{name: http, port: 80, targetPort: http}]
---
`;
}

export function generate(objects: number, file: string): number {
  const parts: string[] = [];
  for (let i = 0; i < objects / 2; i++) parts.push(pair(i));
  const text = parts.join('');
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
