// The default local file name of a capture: <namespace>_<pod>_<UTC time>.pcap, e.g.
// default_web-7d4b9_20250102T030405Z.pcap. Kubernetes names are already DNS-safe, but the
// name is rebuilt from a safe alphabet anyway: it becomes a path on the user's disk.

const UNSAFE = /[^A-Za-z0-9.-]+/g;
// NAME_MAX is 255 bytes; a pod name may be 253 characters alone.
const MAX_PART = 100;

/** A name part from a safe alphabet: also the runbook steps' per-pod file names. */
export function safePart(value: string): string {
  const cleaned = value
    .replace(UNSAFE, "-")
    .replace(/^[.-]+/, "")
    .slice(0, MAX_PART);
  return cleaned === "" ? "unknown" : cleaned;
}

/** YYYYMMDDTHHMMSSZ in UTC, the basic ISO 8601 form that sorts and has no colons. */
export function compactUtcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

export function defaultOutputFileName(namespace: string, pod: string, startedAt: Date): string {
  return `${safePart(namespace)}_${safePart(pod)}_${compactUtcStamp(startedAt)}.pcap`;
}

/** Many pods in one file: <namespace>_<what was named>_<UTC time>.pcapng. */
export function defaultMergedFileName(namespace: string, label: string, startedAt: Date): string {
  return `${safePart(namespace)}_${safePart(label)}_${compactUtcStamp(startedAt)}.pcapng`;
}
