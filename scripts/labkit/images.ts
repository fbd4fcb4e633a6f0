// Container images made on this machine from Debian's binaries: nothing is pulled. Each is a
// root filesystem folder, imported into dockerd, then moved to containerd with `docker save`.

import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DATA_DIR, IMAGES } from "./layout.js";
import { ctr, docker } from "./runtimes.js";
import { run, runBytes, tryRun } from "./sh.js";

type Rootfs = (dir: string) => Promise<void>;

const BUSYBOX = "/bin/busybox";
const WEB_PAGE = "<html><body>podcap lab web</body></html>\n";

const busyboxRootfs: Rootfs = async (dir) => {
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(BUSYBOX, join(dir, "bin", "busybox"));
  for (const applet of (await run([BUSYBOX, "--list"])).split("\n").filter(Boolean)) {
    if (applet !== "busybox") symlinkSync("busybox", join(dir, "bin", applet));
  }
  writeBasics(dir);
};

/** An image with no shell and no tools: one static binary that can only serve files. */
const noshellRootfs: Rootfs = async (dir) => {
  copyFileSync(BUSYBOX, join(dir, "httpd"));
  writeBasics(dir);
};

const dnsmasqRootfs: Rootfs = async (dir) => {
  const binary = "/usr/sbin/dnsmasq";
  const libraries = (await run(["ldd", binary])).matchAll(/(\/\S+\.so[\w.]*)/g);
  for (const file of [binary, ...[...libraries].map((m) => m[1] as string)]) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    copyFileSync(file, join(dir, file));
  }
  writeBasics(dir);
};

function writeBasics(dir: string): void {
  mkdirSync(join(dir, "etc"), { recursive: true });
  mkdirSync(join(dir, "www"), { recursive: true });
  mkdirSync(join(dir, "tmp"), { recursive: true });
  writeFileSync(
    join(dir, "etc", "passwd"),
    "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
  );
  writeFileSync(join(dir, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
  writeFileSync(join(dir, "www", "index.html"), WEB_PAGE);
}

const recipes: Record<string, Rootfs> = {
  [IMAGES.busybox]: busyboxRootfs,
  [IMAGES.noshell]: noshellRootfs,
  [IMAGES.dnsmasq]: dnsmasqRootfs,
};

/** Builds every lab image that dockerd or containerd lacks; cheap when both have them. */
export async function ensureImages(): Promise<void> {
  for (const [image, rootfs] of Object.entries(recipes)) {
    if ((await tryRun(docker("image", "inspect", image))).code !== 0) {
      const dir = join(DATA_DIR, "rootfs", image.replace(/[/:]/g, "_"));
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await rootfs(dir);
      const tarball = await tarOf(dir);
      await run(docker("import", "-", image), tarball);
      rmSync(dir, { recursive: true, force: true });
    }
    if (!(await run(ctr("images", "ls", "-q"))).split("\n").includes(`docker.io/${image}`)) {
      const archive = await runBytes(docker("save", image));
      await run(ctr("images", "import", "--no-unpack", "-"), archive);
      await run(ctr("images", "unpack", `docker.io/${image}`)).catch(() => undefined);
    }
  }
}

function tarOf(dir: string): Promise<Buffer> {
  return runBytes(["tar", "-C", dir, "--numeric-owner", "-c", "."]);
}
