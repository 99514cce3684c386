/**
 * Audit policy rule types (audit.k8s.io/v1 Policy rules) shared by everything that contributes rules to a
 * cluster's audit Policy: the AuditPolicy construct and the constructs that know what of theirs to audit
 * (AuditedServiceAccount).
 */

/** How much of a request the API server records (audit.k8s.io/v1 levels). */
export enum AuditLevel {
  /** Do not log events that match the rule. */
  NONE = 'None',
  /** Who, when, which verb on which resource; no bodies. The only level for Secrets and ConfigMaps. */
  METADATA = 'Metadata',
  /** Metadata plus the request body. */
  REQUEST = 'Request',
  /** Metadata plus request and response bodies. */
  REQUEST_RESPONSE = 'RequestResponse',
}

/** Resources in one API group that an audit rule matches. */
export interface AuditGroupResources {
  /** API group ('' for the core group). */
  readonly group: string;
  /** Resources (and `resource/subresource`); all resources of the group when omitted. */
  readonly resources?: string[];
  /** Names of the objects; all when omitted. */
  readonly resourceNames?: string[];
}

/** One rule of an audit Policy; the first matching rule decides the level of an event. */
export interface AuditPolicyRule {
  readonly level: AuditLevel;
  /** Users (e.g. `system:serviceaccount:ns:name`) the rule matches; all when omitted. */
  readonly users?: string[];
  /** User groups the rule matches; all when omitted. */
  readonly userGroups?: string[];
  /** Verbs the rule matches; all when omitted. */
  readonly verbs?: string[];
  readonly resources?: AuditGroupResources[];
  /** Namespaces the rule matches; all when omitted. */
  readonly namespaces?: string[];
  /** Non-resource URL paths (`/healthz*`). */
  readonly nonResourceUrls?: string[];
  /** Stages not to record for matching events (e.g. `RequestReceived`). */
  readonly omitStages?: string[];
}

/** Something that knows which of its activity a cluster's audit Policy must record. */
export interface IAuditRuleSource {
  /** Audit rules for this source's activity, most specific first. */
  auditPolicyRules(): AuditPolicyRule[];
}
