import { describe, expect, it } from "vitest";
import { parseInventory } from "../../src/inventory/inventory-load.js";
import { accessDenied, accessReviewBody } from "../../src/kube/access-check.js";
import {
  accessCheckPlan,
  accessRequirementOf,
  DEFAULT_ACCESS_REQUIREMENT,
  permissionName,
} from "../../src/kube/access-requirement.js";

const inventory = (settings: string) => parseInventory(`settings:\n${settings}\n`, "/etc/podcap/inv.yaml");
const packetcaptures = { verb: "create", group: "podcap.io", resource: "packetcaptures" };

describe("the access requirement", () => {
  it("is create pods/exec unless the inventory names another", () => {
    expect(accessRequirementOf({ settings: {} })).toEqual(DEFAULT_ACCESS_REQUIREMENT);
    expect(permissionName(DEFAULT_ACCESS_REQUIREMENT)).toBe("pods/exec");
    const custom = inventory(
      "  access:\n    require: { verb: create, group: podcap.io, resource: packetcaptures }",
    );
    expect(accessRequirementOf(custom)).toEqual(packetcaptures);
    expect(permissionName(accessRequirementOf(custom))).toBe("packetcaptures.podcap.io");
    expect(permissionName({ ...packetcaptures, subresource: "status" })).toBe(
      "packetcaptures.podcap.io/status",
    );
  });

  it("refuses names RBAC could never match, with the line and the field", () => {
    expect(() => inventory("  access:\n    require: { verb: 'create;', resource: pods }")).toThrow(
      /inv\.yaml:3:.*settings\.access\.require\.verb: must be an RBAC verb/,
    );
    expect(() => inventory("  access:\n    require: { verb: create, resource: Pods/exec }")).toThrow(
      /settings\.access\.require\.resource/,
    );
    expect(() => inventory("  access:\n    require: { verb: create, resource: pods, group: -x }")).toThrow(
      /settings\.access\.require\.group/,
    );
    expect(() => inventory("  access:\n    requires: { verb: create, resource: pods }")).toThrow(
      /unknown field requires/,
    );
  });

  it("allows --skip-access-check only where the inventory says allowSkip: true", () => {
    expect(accessCheckPlan({ settings: {} }, false)).toEqual(DEFAULT_ACCESS_REQUIREMENT);
    expect(accessCheckPlan(inventory("  access: { allowSkip: true }"), true)).toBeUndefined();
    const refusal = (() => {
      try {
        accessCheckPlan(inventory("  access: { allowSkip: false }"), true);
      } catch (error) {
        return error as { name: string; message: string; hint: string };
      }
    })();
    expect(refusal?.name).toBe("UsageError");
    expect(refusal?.message).toBe("--skip-access-check is not allowed by the inventory /etc/podcap/inv.yaml");
    expect(refusal?.hint).toContain("settings.access.allowSkip: true");
    expect(() => accessCheckPlan({ settings: {} }, true)).toThrow("not allowed by no inventory");
  });
});

describe("the access review and its refusal", () => {
  it("asks about the namespace, verb, group, resource and subresource", () => {
    expect(accessReviewBody("demo", DEFAULT_ACCESS_REQUIREMENT).spec.resourceAttributes).toEqual({
      namespace: "demo",
      verb: "create",
      group: "",
      resource: "pods",
      subresource: "exec",
    });
    expect(accessReviewBody("demo", packetcaptures).spec.resourceAttributes).not.toHaveProperty(
      "subresource",
    );
  });

  it("names the user, the permission and the namespaces, with an RBAC hint", () => {
    const who = { user: "viewer", context: "lab-viewer" };
    const one = accessDenied(who, ["demo"], DEFAULT_ACCESS_REQUIREMENT);
    expect(one.name).toBe("AccessDenied");
    expect(one.exitCode).toBe(4);
    expect(one.message).toBe(
      'user "viewer" (context lab-viewer) may not create pods/exec in namespace "demo", which capturing needs',
    );
    expect(one.hint).toContain("kubectl auth can-i create pods/exec -n demo --context lab-viewer");
    expect(one.hint).not.toContain("settings.access.require");
    const many = accessDenied(who, ["demo", "tools"], packetcaptures);
    expect(many.message).toContain('may not create packetcaptures.podcap.io in namespaces "demo", "tools"');
    expect(many.hint).toContain("settings.access.require");
  });
});
