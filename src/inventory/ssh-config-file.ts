// Reads ~/.ssh/config for the settings podcap borrows (HostName, User, Port, IdentityFile,
// ProxyJump, known hosts). The ssh-config package parses; Include is expanded here because the
// package leaves it as a plain directive, and many configs keep their hosts in config.d/.

import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import SSHConfig from "ssh-config";
import { matchPattern } from "../ssh/host-pattern.js";
import { expandHome } from "./local-paths.js";

export type SshConfig = SSHConfig;

// OpenSSH's own limit, which also stops a file from including itself forever.
const MAX_INCLUDE_DEPTH = 16;
const INCLUDE_LINE = /^\s*include\s*[=\s]\s*(.+?)\s*$/i;

/** Files an Include argument names: relative to ~/.ssh, with `*`/`?` in the last component. */
function includedFiles(argument: string, home: string): string[] {
  return argument
    .split(/\s+/)
    .map((word) => word.replace(/^"(.*)"$/, "$1"))
    .flatMap((word) => {
      const expanded = expandHome(word, home);
      const path = isAbsolute(expanded) ? expanded : join(home, ".ssh", expanded);
      const pattern = basename(path);
      if (!/[*?]/.test(pattern)) return [path];
      try {
        return readdirSync(dirname(path))
          .filter((name) => matchPattern(name, pattern))
          .sort()
          .map((name) => join(dirname(path), name));
      } catch {
        return [];
      }
    });
}

function readWithIncludes(file: string, home: string, depth: number): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return ""; // like ssh: a missing config or included file is no error
  }
  if (depth >= MAX_INCLUDE_DEPTH) return "";
  return text
    .split(/\r?\n/)
    .map((line) => {
      const include = INCLUDE_LINE.exec(line);
      if (!include?.[1]) return line;
      return includedFiles(include[1], home)
        .map((path) => readWithIncludes(path, home, depth + 1))
        .join("\n");
    })
    .join("\n");
}

/** Parses config text (for tests and for callers that already hold it). */
export function parseSshConfig(text: string): SshConfig {
  return SSHConfig.parse(text);
}

/** `~/.ssh/config` unless told otherwise; a missing file gives an empty config. */
export function loadSshConfig(file?: string, home: string = homedir()): SshConfig {
  return parseSshConfig(readWithIncludes(file ?? join(home, ".ssh", "config"), home, 0));
}
