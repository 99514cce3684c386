import { posix } from 'path';
import { Severity } from '../../core/types';
import { celString } from '../kit/cel';
import { podRule, Violation } from '../rule';
import { hostPathVolumes } from './host-volumes';

/**
 * Host paths that hand a container the node: runtime sockets, kubelet credentials, kernel interfaces,
 * system configuration and binaries. A path is sensitive when it is one of these, lies below one, or
 * contains one (mounting `/var` exposes `/var/lib/kubelet`).
 */
const SENSITIVE_PATHS: ReadonlyArray<readonly [string, string]> = [
  ['/var/run/docker.sock', 'the Docker socket gives control of every container on the node'],
  ['/run/docker.sock', 'the Docker socket gives control of every container on the node'],
  ['/var/run/containerd', 'the containerd socket gives control of every container on the node'],
  ['/run/containerd', 'the containerd socket gives control of every container on the node'],
  ['/var/run/crio', 'the CRI-O socket gives control of every container on the node'],
  ['/run/crio', 'the CRI-O socket gives control of every container on the node'],
  ['/var/run/cri-dockerd.sock', 'the cri-dockerd socket gives control of every container on the node'],
  ['/var/lib/kubelet', 'kubelet credentials, pod volumes and secrets of every pod on the node'],
  ['/var/lib/docker', 'container runtime state: images and writable layers of every container'],
  ['/var/lib/containerd', 'container runtime state: images and writable layers of every container'],
  ['/var/lib/containers', 'container runtime state: images and writable layers of every container'],
  ['/var/lib/etcd', 'etcd data: every object of the cluster, Secrets included'],
  ['/etc', 'node configuration: kubelet and control plane credentials under /etc/kubernetes, shadow passwords, cron'],
  ['/proc', 'host processes, their memory and kernel tunables'],
  ['/sys', 'kernel and device interfaces (cgroups, kernel modules)'],
  ['/dev', 'host devices (disks, memory)'],
  ['/boot', 'kernel images and boot configuration'],
  ['/root', "the node's root home directory (SSH keys, credentials)"],
  ['/home', 'user home directories on the node (SSH keys, credentials)'],
  ['/usr', 'system binaries and libraries (a write plants code that runs as root on the node)'],
  ['/lib', 'system libraries (a write plants code that runs as root on the node)'],
  ['/bin', 'system binaries (a write plants code that runs as root on the node)'],
  ['/sbin', 'system binaries (a write plants code that runs as root on the node)'],
];

/** A container runtime socket wherever it lives. */
const RUNTIME_SOCKET = /(?:^|\/)(?:docker|containerd|crio|cri-dockerd|podman)[^/]*\.sock$/;

/** Why a host path is sensitive, or undefined. */
export function sensitiveHostPathReason(hostPath: string): string | undefined {
  if (hostPath === '') return undefined;
  const path = posix.normalize(`/${hostPath}`).replace(/\/+$/, '') || '/';
  if (path === '/') return "the node's whole filesystem";
  for (const [sensitive, reason] of SENSITIVE_PATHS) {
    if (path === sensitive || path.startsWith(`${sensitive}/`)) return reason;
  }
  if (RUNTIME_SOCKET.test(path)) return 'a container runtime socket gives control of every container on the node';
  for (const [sensitive, reason] of SENSITIVE_PATHS) {
    if (sensitive.startsWith(`${path}/`)) return `it contains ${sensitive}: ${reason}`;
  }
  return undefined;
}

/**
 * The same test as RE2 over `/` + the host path as written, for admission (CEL cannot normalise a path). The API
 * server refuses `..` in host paths, so normalising only drops empty and `.` segments: FILLER matches any run
 * of them, and each sensitive path matches with FILLER between its segments.
 */
const FILLER = '(?:/\\.?)*';
const escapeSegment = (segment: string) => segment.replace(/[.\\+*?()|[\]{}^$-]/g, '\\$&');
const segmentsOf = (path: string) => path.split('/').filter((s) => s !== '');
const sequence = (segments: readonly string[]) => `${FILLER}${segments.map((s) => `/${escapeSegment(s)}${FILLER}`).join('')}`;
const ancestors = [...new Set(SENSITIVE_PATHS.flatMap(([path]) => segmentsOf(path).slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join('/'))))].sort();
export const SENSITIVE_HOST_PATH_RE2 = `^(?:${[
  `${FILLER}$`, // the whole filesystem
  ...SENSITIVE_PATHS.map(([path]) => `${sequence(segmentsOf(path)).slice(0, -FILLER.length)}(?:/|$)`), // it, or below it
  ...ancestors.map((path) => `${sequence(segmentsOf(path))}$`), // a directory containing one
  `.*/(?:docker|containerd|crio|cri-dockerd|podman)[^/]*\\.sock${FILLER}$`, // a runtime socket anywhere
].join('|')})`;

/** Mounting these paths is a node compromise waiting to happen, even in a node agent. */
export default podRule({
  id: 'workload-sensitive-host-mount',
  title: 'No sensitive host paths (runtime sockets, /proc, /etc, kubelet state) mounted',
  area: 'workload',
  severity: Severity.CRITICAL,
  level: 'restricted',
  rationale:
    'A container runtime socket (docker.sock, containerd.sock, crio.sock) lets a container start privileged containers, which is root on the node. /var/lib/kubelet holds the kubelet credentials and every pod\'s secrets; /etc holds node and control plane credentials; /proc, /sys and /dev expose the kernel and devices; /, /var, /run or /usr contain all of these. This applies to DaemonSets too: a node agent that needs one of them needs a waiver that says why.',
  remediation:
    'Remove the hostPath volume. Read what you need through the Kubernetes API or a narrower path (a log directory, a dedicated socket directory), mount it readOnly, or waive workload-sensitive-host-mount on the node agent with the reason.',
  references: {
    nsa: 'Pod security: do not mount the container runtime socket or sensitive host paths',
    kubeLinter: 'sensitive-host-mounts',
    kubesec: 'DockerSock',
    kyverno: 'disallow-container-sock-mounts',
  },
  admission: {
    validations: [{
      expression: `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.hostPath) || !has(v.hostPath.path) || v.hostPath.path == '' || !('/' + v.hostPath.path).matches(${celString(SENSITIVE_HOST_PATH_RE2)}))`,
      message: 'a hostPath volume mounts a sensitive host path (a runtime socket, kubelet state, /etc, /proc, /sys, /dev, or a directory containing one)',
    }],
  },
  check(pod) {
    const violations: Violation[] = [];
    for (const volume of hostPathVolumes(pod)) {
      const reason = sensitiveHostPathReason(volume.hostPath);
      if (reason) {
        violations.push({
          path: `${volume.path}.path`,
          message: `volume "${volume.name}" mounts host path "${volume.hostPath}": ${reason}`,
        });
      }
    }
    return violations;
  },
});
