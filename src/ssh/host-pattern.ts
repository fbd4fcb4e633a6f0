// OpenSSH's host patterns (ssh_config(5) PATTERNS), shared by known_hosts, ~/.ssh/config and the
// inventory's node globs so that one name matches the same way everywhere. `*` is any run of
// characters, `?` exactly one (the ssh-config package reads `?` as "zero or one", hence our own).

const cache = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let regexp = cache.get(pattern);
  if (!regexp) {
    const body = [...pattern]
      .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
      .join("");
    regexp = new RegExp(`^${body}$`, "s");
    cache.set(pattern, regexp);
  }
  return regexp;
}

/** True when `name` matches one wildcard pattern; host names compare case-insensitively. */
export function matchPattern(name: string, pattern: string): boolean {
  return patternRegExp(pattern.toLowerCase()).test(name.toLowerCase());
}

/**
 * A comma-separated (or pre-split) pattern list: true when some pattern matches and no negated
 * one (`!pattern`) does; as in OpenSSH a negation alone never makes a match.
 */
export function matchPatternList(name: string, patterns: string | readonly string[]): boolean {
  const list = typeof patterns === "string" ? patterns.split(",") : patterns;
  let positive = false;
  for (const raw of list) {
    const pattern = raw.trim();
    if (pattern.startsWith("!")) {
      if (matchPattern(name, pattern.slice(1))) return false;
    } else if (pattern !== "" && matchPattern(name, pattern)) {
      positive = true;
    }
  }
  return positive;
}

/** True when a pattern holds a wildcard, i.e. it names a family of hosts rather than one. */
export function isWildcardPattern(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
