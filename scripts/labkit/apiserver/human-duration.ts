// The AGE / LAST SEEN text of server-side tables, as the apiserver writes it
// (k8s.io/apimachinery/pkg/util/duration.HumanDuration), so `kubectl get` looks like a real cluster.

export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** Time since `then`, or "<unknown>" when the object has no such timestamp. */
export function ageOf(then: Date | undefined, now: Date = new Date()): string {
  if (then === undefined) return "<unknown>";
  // new Date() again: a source that skipped deserialization hands strings, not Dates.
  return humanDuration(now.getTime() - new Date(then).getTime());
}
