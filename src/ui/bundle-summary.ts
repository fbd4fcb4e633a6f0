// The one line a bundle ends with: where it is, how much it holds, what the node lacked.

import type { BundleManifest } from "../netns/bundle-manifest.js";
import { humanBytes } from "./capture-summary.js";

export function bundleSummaryLine(manifest: BundleManifest, dir: string): string {
  const written = manifest.files.filter((file) => file.written);
  const bytes = written.reduce((sum, file) => sum + file.bytes, 0);
  const missing =
    manifest.missingTools.length > 0 ? `; not on the node: ${manifest.missingTools.join(", ")}` : "";
  const problem = manifest.problem ? `; incomplete: ${manifest.problem}` : "";
  return (
    `bundle of ${manifest.pod.namespace}/${manifest.pod.name} (node ${manifest.pod.node}) in ${dir}: ` +
    `${written.length} files, ${humanBytes(bytes)}, ${manifest.durationSeconds.toFixed(1)} s on the node${missing}${problem}`
  );
}
