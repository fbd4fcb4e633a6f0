import { describe, expect, it } from "vitest";
import { chooseContainerName, type PodLike } from "../../src/capture/default-container.js";
import { ContainerNotFound } from "../../src/errors.js";

function pod(names: string[], annotations?: Record<string, string>): PodLike {
  return {
    metadata: { name: "web-7d4b9", namespace: "shop", ...(annotations ? { annotations } : {}) },
    spec: { containers: names.map((name) => ({ name })) },
  };
}

describe("chooseContainerName", () => {
  it("takes -c when the pod has that container", () => {
    expect(chooseContainerName(pod(["istio-proxy", "app"]), "istio-proxy")).toBe("istio-proxy");
  });

  it("lists the pod's containers when -c names none of them", () => {
    expect(() => chooseContainerName(pod(["istio-proxy", "app"]), "ap")).toThrow(ContainerNotFound);
    try {
      chooseContainerName(pod(["istio-proxy", "app"]), "ap\u001b[2J");
    } catch (error) {
      expect((error as ContainerNotFound).message).toBe(
        'container "ap\\u001b[2J" is not in pod shop/web-7d4b9',
      );
      expect((error as ContainerNotFound).hint).toBe("its containers are: istio-proxy, app");
    }
  });

  it("follows the default-container annotation", () => {
    const annotated = pod(["app", "worker"], { "kubectl.kubernetes.io/default-container": "worker" });
    expect(chooseContainerName(annotated)).toBe("worker");
  });

  it("ignores an annotation that names a container the pod does not have", () => {
    const stale = pod(["istio-proxy", "app"], { "kubectl.kubernetes.io/default-container": "gone" });
    expect(chooseContainerName(stale)).toBe("app");
  });

  it("skips known sidecars", () => {
    expect(chooseContainerName(pod(["istio-proxy", "linkerd-proxy", "vault-agent", "api", "worker"]))).toBe(
      "api",
    );
  });

  it("takes the first container when all are sidecars", () => {
    expect(chooseContainerName(pod(["envoy", "istio-proxy"]))).toBe("envoy");
  });

  it("refuses a pod without containers", () => {
    expect(() => chooseContainerName({ spec: { containers: [] } })).toThrow(/has no containers/);
    expect(() => chooseContainerName({})).toThrow(ContainerNotFound);
  });
});
