import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSshConfig, parseSshConfig } from "../../src/inventory/ssh-config-file.js";
import { hasHostBlock, lookupSshConfig } from "../../src/inventory/ssh-config-lookup.js";

const context = { home: "/home/u", localUser: "me", uid: 1000 };
const home = mkdtempSync(join(tmpdir(), "podcap-sshconfig-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("~/.ssh/config lookup", () => {
  const config = parseSshConfig(
    [
      "Host node-a",
      "  HostName 10.0.0.5",
      "  User admin",
      "  Port 2222",
      "  ProxyJump ops@bastion",
      "  HostKeyAlias node-a",
      "Host 10.0.1.? !10.0.1.9",
      "  User netops",
      "Host *",
      "  User fallback",
      "  IdentityFile ~/.ssh/id_%r_%h",
      "  UserKnownHostsFile ~/.ssh/known_hosts ~/.ssh/known_hosts.d/%n",
      "  IdentityAgent none",
    ].join("\n"),
  );

  it("takes the first value of each setting, as ssh does, with tokens and ~ expanded", () => {
    expect(lookupSshConfig(config, "node-a", context)).toEqual({
      hostName: "10.0.0.5",
      user: "admin",
      port: 2222,
      proxyJump: "ops@bastion",
      hostKeyAlias: "node-a",
      identityFiles: ["/home/u/.ssh/id_admin_10.0.0.5"],
      userKnownHostsFiles: ["/home/u/.ssh/known_hosts", "/home/u/.ssh/known_hosts.d/node-a"],
      identityAgent: "none",
    });
  });

  it("applies wildcard and negated Host lines with ssh's pattern rules", () => {
    expect(lookupSshConfig(config, "10.0.1.7", context).user).toBe("netops");
    expect(lookupSshConfig(config, "10.0.1.9", context).user).toBe("fallback");
    expect(lookupSshConfig(config, "10.0.1.77", context).user).toBe("fallback");
  });

  it("tells a configured name from one only `Host *` covers", () => {
    expect(hasHostBlock(config, "node-a")).toBe(true);
    expect(hasHostBlock(config, "10.0.1.7")).toBe(true);
    expect(hasHostBlock(config, "node-b")).toBe(false);
  });

  it("follows Include, relative to ~/.ssh, with a wildcard", () => {
    mkdirSync(join(home, ".ssh", "config.d"), { recursive: true });
    writeFileSync(join(home, ".ssh", "config"), "Include config.d/*.conf\nHost *\n  User last\n");
    writeFileSync(join(home, ".ssh", "config.d", "a.conf"), "Host node-z\n  HostName 10.9.9.9\n");
    const loaded = loadSshConfig(undefined, home);
    expect(lookupSshConfig(loaded, "node-z", { ...context, home })).toMatchObject({
      hostName: "10.9.9.9",
      user: "last",
    });
    expect(loadSshConfig(join(home, "absent"), home)).toHaveLength(0);
  });
});
