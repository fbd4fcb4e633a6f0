// `podcap fetch ID [-o DIR] [--merge]`: the capture's files from the node its ID names into
// DIR (default ./ID/), with progress on stderr; a running capture gives its completed files and
// says which one tcpdump is still writing. --merge joins them into DIR/ID.pcapng in time order.

import { join } from "node:path";
import { parseCaptureId } from "../capture/detached-capture-id.js";
import { fetchPlan } from "../capture/fetch-plan.js";
import { fetchCaptureFiles, mergeFetchedFiles } from "../deliver/fetch-capture.js";
import { ExitCode } from "../errors.js";
import { connectKube } from "../kube/kube-client.js";
import { humanBytes } from "../ui/capture-summary.js";
import { onNode } from "./node-reach.js";
import { type CapturesInvocation, captureOnNode } from "./run-captures.js";

export interface FetchInvocation extends CapturesInvocation {
  id: string;
  output?: string;
  merge: boolean;
}

const PROGRESS_EVERY_MS = 500;

/**
 * The files of one detached capture into `dir` (merged too with `merge`); shared by `podcap
 * fetch` and runbook fetch steps. `onProgress` gets bytes received of the total, often.
 */
export async function fetchDetached(
  invocation: FetchInvocation,
  onProgress: (received: number, total: number) => void = () => {},
) {
  const { id } = invocation;
  const { node } = parseCaptureId(id);
  const dir = invocation.output ?? id;
  const kube = connectKube(invocation);
  const { capture, plan, fetched } = await onNode(kube, node, invocation, async (session) => {
    const capture = await captureOnNode(session, id);
    const plan = fetchPlan(capture);
    const fetched = await fetchCaptureFiles({ session, id, files: plan.files, dir, onProgress });
    return { capture, plan, fetched };
  });
  const got = fetched.filter((f) => f.how !== "rotated-away");
  let merged: string | undefined;
  let packets: number | undefined;
  if (invocation.merge && got.length > 0) {
    merged = join(dir, `${id}.pcapng`);
    const label = `${capture.namespace ?? "?"}/${capture.pod ?? "?"}/${capture.record.iface ?? "eth0"}`;
    packets = (await mergeFetchedFiles(got, merged, label, `${node} ${id}`)).packets;
  }
  return { id, node, dir, capture, plan, fetched, got, merged, packets };
}

export async function runFetch(invocation: FetchInvocation): Promise<number> {
  const { id } = invocation;
  let lastDraw = 0;
  const { node, dir, capture, plan, fetched, got, merged } = await fetchDetached(
    invocation,
    (received, total) => {
      if (invocation.json || Date.now() - lastDraw < PROGRESS_EVERY_MS) return;
      lastDraw = Date.now();
      process.stderr.write(`podcap: fetching ${id}: ${humanBytes(received)} of ${humanBytes(total)}\n`);
    },
  );
  if (invocation.json) {
    const summary = {
      id,
      node,
      directory: dir,
      state: capture.state,
      files: fetched,
      skipped: plan.skipped,
      merged,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const bytes = got.reduce((sum, f) => sum + f.size, 0);
    const lines = [
      `podcap: ${got.length} files of ${id} (${humanBytes(bytes)}) in ${dir}${merged ? `, merged into ${merged}` : ""}`,
    ];
    if (plan.skipped)
      lines.push(
        `  ${plan.skipped} was left on the node: tcpdump is still writing it (podcap stop ${id}, then fetch again)`,
      );
    const gone = fetched.filter((f) => f.how === "rotated-away");
    if (gone.length > 0) lines.push(`  ${gone.map((f) => f.name).join(", ")} rotated away during the fetch`);
    process.stderr.write(`${lines.join("\n")}\n`);
  }
  return ExitCode.ok;
}
