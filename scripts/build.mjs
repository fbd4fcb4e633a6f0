// Bundles the CLI into one CommonJS file that bin/podcap.js loads through V8's code cache.
// Time to first packet is a feature, and most of a start is spent loading code: hundreds of
// @kubernetes/client-node modules cost ~0.4 s unbundled; one bundle ~0.3 s to compile as an ES
// module, for which Node 20 keeps no code cache; as a script with a code cache, a small part of it.
import { build } from "esbuild";

// ssh2 is bundled too (resolving and compiling its ~40 files at every start cost ~40 ms); its
// native parts stay outside and are loaded from node_modules as before: the optional crypto
// binding, required by a path relative to ssh2's own file, and cpu-features.
const ssh2NativeParts = {
  name: "ssh2-native-parts",
  setup(build) {
    build.onResolve({ filter: /sshcrypto\.node$/ }, () => ({
      path: "ssh2/lib/protocol/crypto/build/Release/sshcrypto.node",
      external: true,
    }));
  },
};

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/podcap.cjs",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  // Names stay (stack traces with --debug read as the source); the rest is less to parse.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ["cpu-features"],
  plugins: [ssh2NativeParts],
  alias: { "whatwg-url": "./scripts/build-stubs/whatwg-url.cjs" },
  logLevel: "warning",
});
