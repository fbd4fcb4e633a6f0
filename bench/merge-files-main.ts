// `node merge-files-main.mjs OUT IN...`: mergePcapFiles as a process of its own, so the merge
// benchmark can measure its peak memory and its wall time start to end, as it does mergecap's.

import { createWriteStream } from "node:fs";
import { basename } from "node:path";
import { finished } from "node:stream/promises";
import { mergePcapFiles } from "../src/deliver/merge-pcap-files.js";

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) throw new Error("usage: merge-files-main OUT IN...");
const output = createWriteStream(out);
try {
  await mergePcapFiles(
    inputs.map((path) => ({ path, name: basename(path, ".pcap") })),
    output,
  );
} finally {
  output.end();
  await finished(output);
}
