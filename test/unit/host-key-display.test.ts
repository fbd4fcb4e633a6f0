import { describe, expect, it } from "vitest";
import { fingerprintLine, openSshKeyTypeName } from "../../src/ssh/host-key-display.js";

describe("host keys shown as OpenSSH shows them", () => {
  it("names key types as ssh's fingerprint line does", () => {
    expect(openSshKeyTypeName("ssh-ed25519")).toBe("ED25519");
    expect(openSshKeyTypeName("ecdsa-sha2-nistp384")).toBe("ECDSA");
    expect(openSshKeyTypeName("ssh-rsa")).toBe("RSA");
    expect(openSshKeyTypeName("sk-ssh-ed25519@openssh.com")).toBe("ED25519-SK");
    expect(openSshKeyTypeName("ssh-foo")).toBe("ssh-foo");
    expect(fingerprintLine("ssh-ed25519", "SHA256:abc")).toBe("ED25519 key fingerprint is SHA256:abc.");
  });
});
