import { describe, expect, it } from "vitest";
import { privilegedArgv, remoteCommandLine } from "../../src/ssh/remote-command.js";

describe("remote command lines", () => {
  it("adds sudo -n -- only when the command needs privilege and the node uses sudo", () => {
    expect(remoteCommandLine(["id", "-u"], true, true)).toBe("sudo -n -- id -u");
    expect(remoteCommandLine(["id", "-u"], true, false)).toBe("id -u");
    expect(remoteCommandLine(["id", "-u"], false, true)).toBe("id -u");
    expect(remoteCommandLine(["id", "-u"], undefined, true)).toBe("id -u");
  });

  it("quotes every word after the prefix, so input stays arguments", () => {
    expect(remoteCommandLine(["echo", "$(touch /tmp/x); rm -rf /"], true, true)).toBe(
      "sudo -n -- echo '$(touch /tmp/x); rm -rf /'",
    );
    expect(privilegedArgv(["-n"], true)).toEqual(["sudo", "-n", "--", "-n"]);
  });
});
