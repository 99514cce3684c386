/** Network reachability analysis over plain Kubernetes JSON (no cdk8s): used by the CLI report and the facade. */
export * from './model';
export type { ReachabilityOptions } from './reachability';
export { analyzeReachability, DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL, ANY_ENDPOINT_ID, workloadId } from './reachability';
export { toMermaid, toMarkdownTable, toMarkdownSection, describePort, groupFlows } from './render';
