import { asArray, asObject, asString } from '../../core/json';
import { Severity } from '../../core/types';
import type { ObjectView, PodView } from '../../core/views';
import { RUNNING_KINDS } from '../../core/workload-kinds';
import { ObjectViolation, setRule } from '../rule';

/** How many other users of the account a finding names. */
const SHOWN_USERS = 5;

const RUNNING: ReadonlySet<string> = new Set(RUNNING_KINDS);

/** The ServiceAccount a pod runs as, with the API server's defaults (serviceAccount is the deprecated alias). */
function accountOf(pod: PodView): { namespace: string; name: string; path: string } {
  const explicit = asString(pod.spec.serviceAccountName);
  const legacy = asString(pod.spec.serviceAccount);
  const name = explicit || legacy || 'default';
  const field = explicit ? 'serviceAccountName' : legacy ? 'serviceAccount' : 'serviceAccountName';
  return { namespace: pod.owner.namespace ?? 'default', name, path: `${pod.specPath}.${field}` };
}

/** `RoleBinding/ns/name -> ClusterRole/edit` for each binding whose subjects name the account. */
function grantsOf(bindings: readonly ObjectView[], namespace: string, name: string): string[] {
  return bindings
    .filter((binding) => asArray(binding.object.subjects).some((raw) => {
      const subject = asObject(raw);
      if (subject.kind !== 'ServiceAccount' || subject.name !== name) return false;
      // A RoleBinding's ServiceAccount subject without a namespace means the binding's namespace.
      const subjectNamespace = asString(subject.namespace) ?? (binding.kind === 'RoleBinding' ? binding.namespace ?? 'default' : undefined);
      return subjectNamespace === namespace;
    }))
    .map((binding) => {
      const ref = asObject(binding.object.roleRef);
      const where = binding.kind === 'RoleBinding' ? `${binding.namespace ?? 'default'}/` : '';
      return `${binding.kind}/${where}${binding.name} -> ${asString(ref.kind) ?? '?'}/${asString(ref.name) ?? '?'}`;
    })
    .sort();
}

/**
 * A ServiceAccount is one workload's identity: a second workload that names it by serviceAccountName runs with every
 * grant the account holds, so one compromised (or malicious) pod spec borrows another workload's permissions.
 */
export default setRule({
  id: 'workload-shared-service-account',
  title: 'Workloads must not run as a ServiceAccount with grants that another workload uses',
  area: 'workload',
  severity: Severity.HIGH,
  level: 'restricted',
  kinds: RUNNING_KINDS,
  rationale:
    'RBAC grants permissions to the ServiceAccount, and any pod in its namespace can name that account in serviceAccountName: no permission is needed to use it. A workload that runs as another workload\'s account (a debug pod, a job, a sidecar deployment) gets that workload\'s grants, so the least privilege of the first one no longer holds, and the audit log cannot tell the two apart. Reported when two or more workloads in the set run as one ServiceAccount that a RoleBinding or ClusterRoleBinding of the set binds.',
  remediation:
    'Give each workload its own ServiceAccount (HardenedDeployment and the other hardened workloads create a dedicated AuditedServiceAccount by default) and bind to each only what it needs. If the workloads really are one application sharing one identity, waive workload-shared-service-account on each of them with the reason.',
  references: {
    nsa: 'Authentication and authorization: create separate service accounts per application',
    links: ['https://kubernetes.io/docs/concepts/security/service-accounts/'],
  },
  check(context) {
    const bindings = [...context.index.ofKind('RoleBinding'), ...context.index.ofKind('ClusterRoleBinding')];
    // Without a binding in the set no account holds a grant, so no sharing is reported.
    if (bindings.length === 0) return [];
    const users = new Map<string, Array<{ pod: PodView; account: ReturnType<typeof accountOf> }>>();
    const pods = context.index.pods();
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      if (!RUNNING.has(pod.owner.kind)) continue;
      const account = accountOf(pod);
      const key = `${account.namespace}/${account.name}`;
      const members = users.get(key);
      if (members) members.push({ pod, account });
      else users.set(key, [{ pod, account }]);
    }
    const violations: ObjectViolation[] = [];
    const entries = [...users.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < entries.length; i++) {
      const key = entries[i][0];
      const members = entries[i][1];
      if (members.length < 2) continue;
      const { namespace, name } = members[0].account;
      const grants = grantsOf(bindings, namespace, name);
      if (grants.length === 0) continue;
      const label = (pod: PodView) => `${pod.owner.kind}/${pod.owner.name}`;
      const labels = members.map((m) => label(m.pod)).sort();
      for (let j = 0; j < members.length; j++) {
        const { pod, account } = members[j];
        // Name a few of the other users: an account shared by thousands of pods must not make the run quadratic.
        const own = label(pod);
        const others: string[] = [];
        let skipped = false;
        for (let k = 0; k < labels.length; k++) {
          const other = labels[k];
          if (others.length === SHOWN_USERS) break;
          if (other === own && !skipped) skipped = true;
          else others.push(other);
        }
        const rest = members.length - 1 - others.length;
        const named = `${others.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
        violations.push({
          object: pod.owner.object,
          path: account.path,
          message: `${own} runs as ServiceAccount ${key}, which ${named} also ${members.length > 2 ? 'use' : 'uses'}; the account holds ${grants.join(', ')}`,
        });
      }
    }
    return violations;
  },
});
