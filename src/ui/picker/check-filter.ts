// A filter typed in the picker is checked before the next question, not on the node minutes
// later: compiled here with tcpdump's own `-d` when tcpdump is installed (the node runs the same
// check again with its own tcpdump), else only the local safety checks run.

import { execFile } from "node:child_process";
import { assertSafeFilter } from "../../capture/bpf-filter.js";
import { printableText } from "../../capture/printable.js";
import { isPodcapError } from "../../errors.js";

export type FilterCheck =
  | { ok: true; expression: string; checkedLocally: boolean }
  | { ok: false; message: string };

/** How tcpdump says an expression does not compile (not a missing permission or device). */
const PARSE_ERROR = /can't parse filter expression|syntax error|unknown (port|protocol)|illegal|not valid/i;

/** `tcpdump`: its path here, or undefined when it is not installed (then the node checks). */
export async function checkFilter(text: string, tcpdump: string | undefined): Promise<FilterCheck> {
  let expression: string;
  try {
    expression = assertSafeFilter(text);
  } catch (error) {
    if (isPodcapError(error)) return { ok: false, message: error.message };
    throw error;
  }
  if (expression === "" || tcpdump === undefined) return { ok: true, expression, checkedLocally: false };
  const stderr = await compile(tcpdump, expression);
  if (stderr === undefined) return { ok: true, expression, checkedLocally: true };
  const complaint = stderr.split("\n").find((line) => PARSE_ERROR.test(line));
  // tcpdump failed for another reason (no permission to open a device): leave it to the node.
  if (complaint === undefined) return { ok: true, expression, checkedLocally: false };
  return { ok: false, message: `tcpdump: ${printableText(complaint.replace(/^tcpdump: /, ""), 200)}` };
}

/** tcpdump's stderr when the expression does not compile, undefined when it does. */
function compile(tcpdump: string, expression: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(tcpdump, ["-d", "--", expression], { timeout: 5000 }, (error, _stdout, stderr) =>
      resolve(error === null ? undefined : String(stderr)),
    );
  });
}
