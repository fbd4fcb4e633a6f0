// podcap's own version, from package.json: audit records name the version that wrote them, so a
// record can be read against what that version did. esbuild inlines the file into the bundle.

import packageJson from "../package.json" with { type: "json" };

export const PODCAP_VERSION: string = packageJson.version;
