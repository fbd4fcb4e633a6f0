// The reclaimer frees dead Buffers as a capture streams, and leaves V8's flags as they were: a
// code cache made at the end of a capture (bin/podcap.js does) must still be taken by the next start.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname;
const reclaim = new URL("../../src/deliver/buffer-reclaim.ts", import.meta.url).pathname;

describe("bufferReclaimer", () => {
  it("frees the dead Buffers of a stream, and a code cache made afterwards is still accepted", () => {
    const dir = mkdtempSync(join(tmpdir(), "podcap-reclaim-"));
    try {
      const cache = join(dir, "cache.bin");
      const made = execFileSync(
        tsx,
        [
          "-e",
          `import { bufferReclaimer } from ${JSON.stringify(reclaim)};
           import { Script } from "node:vm"; import { writeFileSync } from "node:fs";
           const script = new Script("function f() { return 1 } f()", { filename: "x.js" });
           script.runInThisContext();
           const reclaim = bufferReclaimer(8 * 2 ** 20);
           let live = [];
           for (let i = 0; i < 2000; i++) { live.push(Buffer.allocUnsafe(32768)); if (live.length > 4) live.shift(); }
           const before = process.memoryUsage().arrayBuffers;
           reclaim(9 * 2 ** 20);
           setTimeout(() => {
             writeFileSync(${JSON.stringify(cache)}, script.createCachedData());
             console.log(JSON.stringify({ before, after: process.memoryUsage().arrayBuffers }));
           }, 100);`,
        ],
        { encoding: "utf8" },
      );
      const { before, after } = JSON.parse(made);
      // V8 may have collected some already; what is left, the scavenge frees.
      expect(before).toBeGreaterThan(4 * 2 ** 20);
      expect(after).toBeLessThan(before / 4);
      const taken = execFileSync(
        process.execPath,
        [
          "-e",
          `const { Script } = require("node:vm");
           const s = new Script("function f() { return 1 } f()", { filename: "x.js", cachedData: require("node:fs").readFileSync(${JSON.stringify(cache)}) });
           console.log(s.cachedDataRejected ? "rejected" : "taken");`,
        ],
        { encoding: "utf8" },
      );
      expect(taken.trim()).toBe("taken");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
