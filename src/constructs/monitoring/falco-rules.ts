import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';

/** Properties of FalcoRules. Every list extends an allow-list; nothing turns a rule off. */
export interface FalcoRulesProps {
  /** Namespace of the ConfigMap (where Falco runs). @default 'falco' */
  readonly namespace?: string;
  /** @default 'hardened-falco-rules' */
  readonly name?: string;
  /** Image repositories (`registry/repo`, no tag) allowed to start interactive shells. @default - none */
  readonly shellAllowedImages?: string[];
  /** Image repositories expected to call the Kubernetes API (operators, controllers). @default - none */
  readonly apiClientImages?: string[];
  /** Namespaces whose pods are expected to call the Kubernetes API. @default ['kube-system'] */
  readonly apiClientNamespaces?: string[];
  /** Addresses of the API server (node IPs, the `kubernetes` Service cluster IP) besides the service's DNS names. @default - none */
  readonly apiServerAddresses?: string[];
  /** Users expected to read Secrets besides the control plane's own identities. @default - none */
  readonly secretReaders?: string[];
  /** Users expected to change RBAC (GitOps controllers) besides the control plane's own identities. @default - none */
  readonly rbacManagers?: string[];
  /** Image repositories allowed to run privileged or on the host network (CNI, CSI, Falco itself). @default - none */
  readonly privilegedImages?: string[];
}

/** The event source a Falco rules file is for. */
export enum FalcoEventSource {
  /** System calls (Falco's kernel driver or eBPF probe), one Falco per node. */
  SYSCALL = 'syscall',
  /** Kubernetes audit events (k8saudit and json plugins, fed by the API server's audit webhook). */
  K8S_AUDIT = 'k8s_audit',
}

/** A Falco list. */
export interface FalcoList {
  readonly list: string;
  readonly items: Array<string | number>;
}

/** A Falco macro. */
export interface FalcoMacro {
  readonly macro: string;
  readonly condition: string;
}

/** A Falco rule. */
export interface FalcoRule {
  readonly rule: string;
  readonly desc: string;
  readonly condition: string;
  readonly output: string;
  readonly priority: string;
  readonly source: FalcoEventSource;
  readonly tags: string[];
}


/** The lists, macros and rules of one event source: one self-contained rules file. */
interface FalcoRulesFile {
  readonly lists: FalcoList[];
  readonly macros: FalcoMacro[];
  readonly rules: FalcoRule[];
}

function buildContent(props: FalcoRulesProps): { syscall: FalcoRulesFile; k8sAudit: FalcoRulesFile } {
  const syscallLists: FalcoList[] = [
    { list: 'hardened_shell_binaries', items: ['ash', 'bash', 'csh', 'dash', 'fish', 'ksh', 'sh', 'tcsh', 'zsh'] },
    { list: 'hardened_privilege_escalation_binaries', items: ['doas', 'newgrp', 'pkexec', 'su', 'sudo'] },
    { list: 'hardened_binary_directories', items: ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'] },
    { list: 'hardened_sensitive_files', items: ['/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/pam.conf', '/etc/kubernetes/admin.conf', '/etc/kubernetes/pki/ca.key'] },
    { list: 'hardened_shell_allowed_images', items: [...(props.shellAllowedImages ?? [])] },
    { list: 'hardened_api_client_images', items: [...(props.apiClientImages ?? [])] },
    { list: 'hardened_api_client_namespaces', items: [...(props.apiClientNamespaces ?? ['kube-system'])] },
    { list: 'hardened_api_server_addresses', items: [...(props.apiServerAddresses ?? [])] },
    { list: 'hardened_api_server_ports', items: [443, 6443] },
  ];
  const auditLists: FalcoList[] = [
    { list: 'hardened_audit_stages', items: ['ResponseComplete'] },
    { list: 'hardened_rbac_resources', items: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] },
    { list: 'hardened_write_verbs', items: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
    { list: 'hardened_exec_subresources', items: ['exec', 'attach'] },
    { list: 'hardened_read_verbs', items: ['get', 'list', 'watch'] },
    {
      list: 'hardened_rbac_managers',
      items: ['system:apiserver', 'system:kube-controller-manager', 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', ...(props.rbacManagers ?? [])],
    },
    {
      list: 'hardened_secret_readers',
      items: [
        'system:apiserver',
        'system:kube-controller-manager',
        'system:kube-scheduler',
        'system:serviceaccount:kube-system:generic-garbage-collector',
        'system:serviceaccount:kube-system:namespace-controller',
        'system:serviceaccount:kube-system:resourcequota-controller',
        ...(props.secretReaders ?? []),
      ],
    },
    { list: 'hardened_privileged_images', items: [...(props.privilegedImages ?? [])] },
  ];

  const syscallMacros: FalcoMacro[] = [
    { macro: 'hardened_container', condition: 'container.id != "host"' },
    { macro: 'hardened_spawned_process', condition: 'evt.type in ("execve", "execveat") and evt.dir = "<"' },
    { macro: 'hardened_open_write', condition: 'evt.type in ("open", "openat", "openat2") and evt.is_open_write = true and fd.typechar = "f" and fd.num >= 0' },
    { macro: 'hardened_open_read', condition: 'evt.type in ("open", "openat", "openat2") and evt.is_open_read = true and fd.typechar = "f" and fd.num >= 0' },
    { macro: 'hardened_outbound_connect', condition: 'evt.type = "connect" and evt.dir = "<" and (fd.typechar = "4" or fd.typechar = "6") and (evt.rawres >= 0 or evt.res = "EINPROGRESS")' },
    {
      macro: 'hardened_k8s_api_server',
      condition:
        '(fd.sip.name in ("kubernetes.default.svc", "kubernetes.default.svc.cluster.local") or fd.sip in (hardened_api_server_addresses)) and fd.sport in (hardened_api_server_ports)',
    },
    { macro: 'hardened_expected_api_client', condition: 'container.image.repository in (hardened_api_client_images) or k8s.ns.name in (hardened_api_client_namespaces)' },
    { macro: 'hardened_shell_allowed', condition: 'container.image.repository in (hardened_shell_allowed_images)' },
  ];
  const auditMacros: FalcoMacro[] = [
    { macro: 'hardened_kevt', condition: 'jevt.value[/stage] in (hardened_audit_stages)' },
    { macro: 'hardened_kevt_started', condition: 'jevt.value[/stage] = "ResponseStarted"' },
    { macro: 'hardened_allowed', condition: 'ka.auth.decision = "allow"' },
    { macro: 'hardened_health_endpoint', condition: 'ka.uri in ("/healthz", "/livez", "/readyz") or ka.uri startswith "/healthz?" or ka.uri startswith "/livez?" or ka.uri startswith "/readyz?"' },
  ];

  const container = 'container=%container.id image=%container.image.repository ns=%k8s.ns.name pod=%k8s.pod.name';
  const rules: FalcoRule[] = [
    {
      rule: 'Hardened Shell Spawned in Container',
      desc: 'A shell started in a container by something other than a shell: kubectl exec, a web shell or an exploited process. Hardened images run no shells.',
      condition: 'hardened_spawned_process and hardened_container and proc.name in (hardened_shell_binaries) and not proc.pname in (hardened_shell_binaries) and not hardened_shell_allowed',
      output: `Shell spawned in a container (user=%user.name shell=%proc.name parent=%proc.pname cmdline=%proc.cmdline tty=%proc.tty ${container})`,
      priority: 'WARNING',
      source: FalcoEventSource.SYSCALL,
      tags: ['container', 'shell', 'mitre_execution', 'T1059'],
    },
    {
      rule: 'Hardened Privilege Escalation Tool Run in Container',
      desc: 'sudo, su, pkexec, doas or newgrp run in a container: an attempt to gain root or another identity inside the container.',
      condition: 'hardened_spawned_process and hardened_container and proc.name in (hardened_privilege_escalation_binaries)',
      output: `Privilege escalation tool run in a container (user=%user.name uid=%user.uid tool=%proc.name cmdline=%proc.cmdline parent=%proc.pname ${container})`,
      priority: 'WARNING',
      source: FalcoEventSource.SYSCALL,
      tags: ['container', 'privilege_escalation', 'mitre_privilege_escalation', 'T1548'],
    },
    {
      rule: 'Hardened Write Below System Directories in Container',
      desc: 'A file opened for writing below /etc or a binary directory in a container: persistence, tampering with users or replacing binaries. Hardened containers have a read-only root filesystem.',
      condition: 'hardened_open_write and hardened_container and (fd.name startswith "/etc/" or fd.directory in (hardened_binary_directories))',
      output: `File below a system directory opened for writing in a container (user=%user.name file=%fd.name command=%proc.cmdline ${container})`,
      priority: 'ERROR',
      source: FalcoEventSource.SYSCALL,
      tags: ['container', 'filesystem', 'mitre_persistence', 'T1543'],
    },
    {
      rule: 'Hardened Container Contacts the Kubernetes API Server',
      desc: 'A container outside the expected API clients connected to the API server: a compromised workload using its service account token or looking for one.',
      condition: 'hardened_outbound_connect and hardened_container and hardened_k8s_api_server and not hardened_expected_api_client',
      output: `Unexpected connection to the Kubernetes API server from a container (command=%proc.cmdline connection=%fd.name ${container})`,
      priority: 'NOTICE',
      source: FalcoEventSource.SYSCALL,
      tags: ['container', 'network', 'k8s', 'mitre_discovery', 'T1613'],
    },
    {
      rule: 'Hardened Sensitive File Read in Container',
      desc: 'A container read password hashes, sudo configuration, SSH keys of root or cluster admin credentials.',
      condition: 'hardened_open_read and hardened_container and (fd.name in (hardened_sensitive_files) or fd.name startswith "/root/.ssh/")',
      output: `Sensitive file read in a container (user=%user.name file=%fd.name command=%proc.cmdline ${container})`,
      priority: 'WARNING',
      source: FalcoEventSource.SYSCALL,
      tags: ['container', 'filesystem', 'mitre_credential_access', 'T1552'],
    },
    {
      rule: 'Hardened Exec or Attach into Pod',
      desc: 'Someone opened an interactive session in a pod (kubectl exec or attach): every such session should be explainable.',
      condition: 'hardened_kevt_started and ka.target.resource = "pods" and ka.target.subresource in (hardened_exec_subresources) and ka.verb = "create" and hardened_allowed',
      output: 'Exec or attach into a pod (user=%ka.user.name groups=%ka.user.groups ns=%ka.target.namespace pod=%ka.target.name action=%ka.target.subresource command=%ka.uri.param[command])',
      priority: 'NOTICE',
      source: FalcoEventSource.K8S_AUDIT,
      tags: ['k8s', 'mitre_execution', 'T1609'],
    },
    {
      rule: 'Hardened Privileged Pod Created',
      desc: 'A pod was created with a privileged container or host network, PID or IPC namespace, outside the allowed images.',
      condition:
        'hardened_kevt and ka.target.resource = "pods" and ka.verb = "create" and (ka.req.pod.containers.privileged intersects (true) or ka.req.pod.host_network intersects (true) or ka.req.pod.host_pid intersects (true) or ka.req.pod.host_ipc intersects (true)) and not ka.req.pod.containers.image.repository in (hardened_privileged_images)',
      output: 'Privileged pod created (user=%ka.user.name ns=%ka.target.namespace pod=%ka.resp.name images=%ka.req.pod.containers.image privileged=%ka.req.pod.containers.privileged hostNetwork=%ka.req.pod.host_network hostPID=%ka.req.pod.host_pid)',
      priority: 'WARNING',
      source: FalcoEventSource.K8S_AUDIT,
      tags: ['k8s', 'mitre_privilege_escalation', 'T1611'],
    },
    {
      rule: 'Hardened RBAC Changed',
      desc: 'A Role, ClusterRole or binding was created, changed or deleted by someone other than the control plane or the declared RBAC managers.',
      condition: 'hardened_kevt and ka.target.resource in (hardened_rbac_resources) and ka.verb in (hardened_write_verbs) and hardened_allowed and not ka.user.name in (hardened_rbac_managers)',
      output: 'RBAC changed (user=%ka.user.name verb=%ka.verb resource=%ka.target.resource ns=%ka.target.namespace name=%ka.target.name response=%ka.response.code)',
      priority: 'WARNING',
      source: FalcoEventSource.K8S_AUDIT,
      tags: ['k8s', 'rbac', 'mitre_persistence', 'T1098'],
    },
    {
      rule: 'Hardened Secret Read by Unexpected Identity',
      desc: 'Secrets were read by an identity that is neither the control plane, a node, nor a declared reader.',
      condition:
        'hardened_kevt and ka.target.resource = "secrets" and ka.verb in (hardened_read_verbs) and hardened_allowed and not ka.user.name in (hardened_secret_readers) and not ka.user.name startswith "system:node:"',
      output: 'Secret read by an unexpected identity (user=%ka.user.name verb=%ka.verb ns=%ka.target.namespace secret=%ka.target.name)',
      priority: 'WARNING',
      source: FalcoEventSource.K8S_AUDIT,
      tags: ['k8s', 'secrets', 'mitre_credential_access', 'T1552.007'],
    },
    {
      rule: 'Hardened Anonymous Request Allowed',
      desc: 'The API server allowed a request by system:anonymous to something other than a health endpoint: anonymous access is open.',
      condition: 'hardened_kevt and ka.user.name = "system:anonymous" and hardened_allowed and not hardened_health_endpoint',
      output: 'Anonymous request allowed (verb=%ka.verb uri=%ka.uri source=%ka.sourceips reason=%ka.auth.reason)',
      priority: 'ERROR',
      source: FalcoEventSource.K8S_AUDIT,
      tags: ['k8s', 'authentication', 'mitre_initial_access', 'T1078'],
    },
  ];
  return {
    syscall: { lists: syscallLists, macros: syscallMacros, rules: rules.filter((r) => r.source === FalcoEventSource.SYSCALL) },
    k8sAudit: { lists: auditLists, macros: auditMacros, rules: rules.filter((r) => r.source === FalcoEventSource.K8S_AUDIT) },
  };
}

/** The k8saudit rules need these plugins (the versions Falco's own k8saudit rules require). */
const K8S_AUDIT_PLUGINS = [{ required_plugin_versions: [{ name: 'k8saudit', version: '0.7.0' }, { name: 'json', version: '0.7.0' }] }];

function dumpRules(header: object[], file: FalcoRulesFile): string {
  return yaml.dump([...header, ...file.lists, ...file.macros, ...file.rules], { lineWidth: -1, noRefs: true, sortKeys: false });
}

/**
 * Falco rules for the runtime attacks the hardening guides describe, as a ConfigMap with two rules files (or as
 * Helm values: `customRules`), one per event source, because Falco runs them in different places: the syscall
 * file in the per-node DaemonSet, the k8saudit file in the deployment that receives the API server's audit
 * webhook.
 *
 * Syscall rules: shell spawned in a container, privilege escalation tools, writes below /etc and binary
 * directories, unexpected connections to the API server, reads of sensitive files. k8s_audit rules (need the
 * k8saudit and json plugins, declared with `required_plugin_versions`, and the AuditPolicy's Request-level
 * workload rules): exec/attach into pods, privileged pod creation, RBAC changes, Secret reads by unexpected
 * identities, anonymous requests allowed. Each file defines every macro and list it uses, prefixed
 * `hardened_`, so it neither depends on nor overrides Falco's default rules.
 */
export class FalcoRules extends Construct {
  /** Key of the syscall rules file in the ConfigMap and in `customRules`. */
  public static readonly SYSCALL_RULES_FILE = 'hardened-syscall-rules.yaml';
  /** Key of the k8saudit rules file in the ConfigMap and in `customRules`. */
  public static readonly K8S_AUDIT_RULES_FILE = 'hardened-k8saudit-rules.yaml';

  /** The synthesized ConfigMap. */
  public readonly apiObject: ApiObject;
  /** The syscall rules file (Falco YAML). */
  public readonly syscallRulesYaml: string;
  /** The k8saudit rules file (Falco YAML). */
  public readonly k8sAuditRulesYaml: string;
  /** Every rule of both files, for tests and docs. */
  public readonly rules: FalcoRule[];

  public constructor(scope: Construct, id: string, props: FalcoRulesProps = {}) {
    super(scope, id);
    for (const [name, values] of Object.entries(props)) {
      if (Array.isArray(values) && values.some((v) => typeof v !== 'string' || v.trim() === '' || /["\n]/.test(v))) {
        throw new Error(`${this.node.path}: ${name} holds an empty value or one with a quote or newline`);
      }
    }
    const content = buildContent(props);
    this.rules = [...content.syscall.rules, ...content.k8sAudit.rules];
    this.syscallRulesYaml = dumpRules([], content.syscall);
    this.k8sAuditRulesYaml = dumpRules(K8S_AUDIT_PLUGINS, content.k8sAudit);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: props.name ?? 'hardened-falco-rules', namespace: props.namespace ?? 'falco', labels: { 'app.kubernetes.io/part-of': 'falco' } },
      data: { [FalcoRules.SYSCALL_RULES_FILE]: this.syscallRulesYaml, [FalcoRules.K8S_AUDIT_RULES_FILE]: this.k8sAuditRulesYaml },
    });
  }

  /** Values for the falcosecurity/falco Helm chart that load the rules file of one event source (`customRules`). */
  public helmValues(source: FalcoEventSource): Record<string, any> {
    return source === FalcoEventSource.SYSCALL
      ? { customRules: { [FalcoRules.SYSCALL_RULES_FILE]: this.syscallRulesYaml } }
      : { customRules: { [FalcoRules.K8S_AUDIT_RULES_FILE]: this.k8sAuditRulesYaml } };
  }
}
