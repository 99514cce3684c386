/** The health endpoints the API server's own liveness and readiness probes call without credentials. */
export const HEALTH_PROBE_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz'];
