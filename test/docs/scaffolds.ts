/**
 * The declared scaffolds that Markdown fragments (`<!-- fragment: NAME -->`) are type-checked in. A scaffold
 * declares what the text around a fragment assumes (an app, a chart, a namespace, an account); the fragment
 * follows it at module level. Fragments are type-checked, not run: `declare const` is enough for values the
 * text only refers to.
 */
export interface Scaffold {
  /** What the fragment assumes, in words (shown in docs/development.md's convention). */
  readonly assumes: string;
  readonly prelude: string;
  readonly epilogue?: string;
}

const CDK8S = "import { App, Chart, Size } from 'cdk8s';\nimport * as kplus from 'cdk8s-plus-27';\n";

export const SCAFFOLDS: Record<string, Scaffold> = {
  'app': {
    assumes: 'a cdk8s `app`; `Hardening` imported',
    prelude: `${CDK8S}import { Hardening } from 'cdk8s-hardened';\nconst app = new App();\n`,
  },
  'chart': {
    assumes: 'a cdk8s `app` and a `chart` in namespace shop; nothing from cdk8s-hardened imported',
    prelude: `${CDK8S}const app = new App();\nconst chart = new Chart(app, 'docs', { namespace: 'shop' });\n`,
  },
  'rbac-account': {
    assumes: 'an AuditedServiceAccount `sa`',
    prelude: `${CDK8S}import { AuditedServiceAccount } from 'cdk8s-hardened';\ndeclare const sa: AuditedServiceAccount;\n`,
  },
  'rbac-chart': {
    assumes: 'a `chart` in namespace shop; `AuditedServiceAccount` imported',
    prelude: `${CDK8S}import { AuditedServiceAccount } from 'cdk8s-hardened';\nconst chart = new Chart(new App(), 'docs', { namespace: 'shop' });\n`,
  },
  'rbac-matrix': {
    assumes: 'a `chart` and an RbacSubject `me`',
    prelude: `${CDK8S}import type { RbacSubject } from 'cdk8s-hardened';\nconst chart = new Chart(new App(), 'docs');\ndeclare const me: RbacSubject;\n`,
  },
  'shop-namespace': {
    assumes: 'a LockedNamespace `shop`, a container `cms` (image, ports, resources, probes); the workload and flow classes imported',
    prelude:
      `${CDK8S}import { FlowPort, HardenedDeployment, LockedNamespace, WorkloadFlows } from 'cdk8s-hardened';\n` +
      "const chart = new Chart(new App(), 'docs');\n" +
      "const shop = new LockedNamespace(chart, 'shop', { name: 'shop', owner: 'team-shop', purpose: 'Web shop' });\n" +
      'declare const cms: kplus.ContainerProps;\n',
  },
  'cluster': {
    assumes: 'an `app`, a `chart` and an AuditedServiceAccount `auditedServiceAccount`; the cluster-config and monitoring classes imported',
    prelude:
      `${CDK8S}import {\n  AuditLevel, AuditPolicy, AuditWebhookConfig, AuditedServiceAccount, ControlPlaneConfig, EncryptionConfig, EncryptionKey,\n` +
      "  EncryptionProvider, FalcoRules, KubeletConfig, SecurityAlerts,\n} from 'cdk8s-hardened';\n" +
      "const app = new App();\nconst chart = new Chart(app, 'cluster');\ndeclare const auditedServiceAccount: AuditedServiceAccount;\n",
  },
};
