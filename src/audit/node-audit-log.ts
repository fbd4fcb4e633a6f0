// The node's copy of the audit record: a constant sh script that appends the line it reads on
// stdin to the node's log. The path is its only argument and the record never enters a command
// line, so neither a shell nor sudo's own log ever sees the record's text. Directory 0700 when
// the script creates it, file 0600, a symbolic link or anything but a plain file refused.

import { quoteWord } from "../ssh/quote.js";
import { auditLine, type LoggedRecord } from "./audit-record.js";

export const NODE_AUDIT_TAG = "podcap-audit:";

const SCRIPT = String.raw`
set -u
file=$1
dir=$(dirname -- "$file")
say() { printf '%s %s\n' '${NODE_AUDIT_TAG}' "$*" >&2; }
line=
IFS= read -r line || [ -n "$line" ] || { say "no record on stdin"; exit 2; }
case $line in '{'*'}') ;; *) say "the record is not one JSON object"; exit 2 ;; esac
umask 077
[ -d "$dir" ] || mkdir -p -m 0700 -- "$dir" || { say "cannot create $dir"; exit 3; }
if [ -L "$file" ] || { [ -e "$file" ] && [ ! -f "$file" ]; }; then say "$file is not a plain file"; exit 3; fi
printf '%s\n' "$line" >> "$file" || { say "cannot append to $file"; exit 3; }
chmod go= -- "$file"
`;

/** The argv that appends stdin's first line to `path` on the node; run it with sudo when needed. */
export function nodeAuditAppendArgv(path: string): string[] {
  if (!path.startsWith("/")) throw new Error(`the node's audit log must be an absolute path: ${path}`);
  quoteWord(path); // a NUL could never reach the node: refuse it here, not halfway
  return ["sh", "-c", SCRIPT, "podcap-audit", path];
}

/** What the node session's exec offers (NodeSession.exec fits). */
export type AuditExec = (
  argv: string[],
  options: { sudo: boolean; stdin: string; timeoutMs: number },
) => Promise<{ code: number | null; stderr: Buffer }>;

const APPEND_TIMEOUT_MS = 10_000;

/** Appends the record on the node; resolves to the failure, for a warning, or undefined. */
export async function appendNodeAudit(
  exec: AuditExec,
  record: LoggedRecord,
  path: string,
  nodeName: string,
): Promise<Error | undefined> {
  try {
    const result = await exec(nodeAuditAppendArgv(path), {
      sudo: true,
      stdin: auditLine(record),
      timeoutMs: APPEND_TIMEOUT_MS,
    });
    if (result.code === 0) return undefined;
    const said = result.stderr.toString().trim().split("\n").at(-1) ?? "";
    return new Error(
      `cannot append to the audit log ${path} on node ${nodeName}: ${said || `exit ${result.code}`}`,
    );
  } catch (error) {
    return new Error(`cannot append to the audit log on node ${nodeName}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
