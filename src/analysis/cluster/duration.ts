/** Go durations as the kubelet and API server read them in their configuration files and flags. */

/** `5m`, `1h30m`, `90s`: a Go duration made of whole units (what the kubelet and API server accept). */
export const DURATION_PATTERN = /^(\d+h)?(\d+m)?(\d+s)?$/;

/** True when the Go duration is zero or not a duration at all. */
export function isZeroOrInvalidDuration(value: string): boolean {
  if (value === '' || !DURATION_PATTERN.test(value)) return true;
  return (value.match(/\d+/g) ?? []).every((n) => Number(n) === 0);
}
