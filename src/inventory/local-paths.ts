// Paths on this machine (keys, known_hosts, agent sockets) as users write them: `~` is the
// home directory, and a relative path in the inventory is relative to the inventory file, so
// an inventory can travel with its keys.

import { isAbsolute, join, resolve } from "node:path";

export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

export function resolveLocalPath(path: string, baseDir: string, home: string): string {
  const expanded = expandHome(path, home);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}
