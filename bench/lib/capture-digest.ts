// What Wireshark reads in a capture, boiled down so that two captures of millions of packets
// compare without holding either in memory: the packet count and a hash of tshark's fields,
// packet by packet, in file order. Equal digests mean the same packets in the same order.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";

/** What tshark says on every start as root: no complaint about the file. */
const ROOT_WARNING = /^Running as user "root"/;

export interface CaptureDigest {
  packets: number;
  /** sha256 of tshark's lines for the fields asked, in order. */
  sha256: string;
  /** True when tshark read the file to its end without a complaint on stderr. */
  readToEnd: boolean;
  stderr: string;
}

export function captureDigest(path: string, fields: string[]): Promise<CaptureDigest> {
  const args = ["-r", path, "-n", "-T", "fields", ...fields.flatMap((field) => ["-e", field])];
  return new Promise((resolve, reject) => {
    const tshark = spawn("tshark", args, { stdio: ["ignore", "pipe", "pipe"] });
    const hash = createHash("sha256");
    let packets = 0;
    let stderr = "";
    tshark.stdout.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) packets += 1;
    });
    tshark.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    tshark.on("error", reject).on("close", (code) => {
      const complaints = stderr.split("\n").filter((line) => line.trim() !== "" && !ROOT_WARNING.test(line));
      resolve({
        packets,
        sha256: hash.digest("hex"),
        readToEnd: code === 0 && complaints.length === 0,
        stderr,
      });
    });
  });
}
