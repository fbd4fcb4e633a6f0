// The Kubernetes side of podcap: a kubeconfig resolved the way kubectl resolves it (--kubeconfig,
// else KUBECONFIG, else ~/.kube/config; --context, else the current context; -n, else the
// context's namespace, else "default"), and the API clients made from it.

import { ApiException, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { AccessDenied, ConfigInvalid, KubeUnreachable, type PodcapError } from "../errors.js";

export interface KubeOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface Kube {
  config: KubeConfig;
  core: CoreV1Api;
  context: string;
  /** The namespace commands use when none is named. */
  namespace: string;
  /** Who the context authenticates as, for records and messages. */
  user: string;
  server: string;
}

export function connectKube(options: KubeOptions = {}): Kube {
  const config = new KubeConfig();
  try {
    if (options.kubeconfig) config.loadFromFile(options.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw new ConfigInvalid(
      `cannot read the kubeconfig${options.kubeconfig ? ` ${options.kubeconfig}` : ""}: ${(error as Error).message.split("\n")[0]}`,
      "check the file with `kubectl config view`, or point --kubeconfig / KUBECONFIG at a valid one",
    );
  }
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      throw new ConfigInvalid(
        `no context "${options.context}" in the kubeconfig`,
        `list them with \`kubectl config get-contexts\`${options.kubeconfig ? ` --kubeconfig ${options.kubeconfig}` : ""}`,
      );
    }
    config.setCurrentContext(options.context);
  }
  const context = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (!context || !cluster) {
    throw new ConfigInvalid(
      "the kubeconfig has no current context",
      "pick one with --context or `kubectl config use-context`",
    );
  }
  const contextObject = config.getContextObject(context);
  return {
    config,
    core: config.makeApiClient(CoreV1Api),
    context,
    namespace: options.namespace ?? contextObject?.namespace ?? "default",
    user: contextObject?.user ?? config.getCurrentUser()?.name ?? "unknown",
    server: cluster.server,
  };
}

export const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

/** API failures as typed errors (a 404 means something different to each caller: they look first). */
export function kubeError(error: unknown, kube: Kube): PodcapError {
  if (error instanceof ApiException && error.code === 401) {
    return new AccessDenied(
      `the API server at ${kube.server} did not accept the credentials of context ${kube.context}`,
      "log in again or refresh the token in your kubeconfig",
    );
  }
  if (error instanceof ApiException && error.code === 403) {
    return new AccessDenied(
      statusMessage(error.body) ?? "the API server refused the request",
      "ask your cluster admin for the permission it names",
    );
  }
  if (error instanceof ApiException) {
    return new KubeUnreachable(
      `the API server at ${kube.server} answered ${error.code}: ${statusMessage(error.body) ?? ""}`.trim(),
      "run again with --debug for the whole answer",
    );
  }
  const reason = (error as { code?: string }).code ?? (error as Error).message ?? String(error);
  return new KubeUnreachable(
    `cannot reach the Kubernetes API at ${kube.server} (${reason})`,
    `check that the cluster is up and that \`kubectl --context ${kube.context} get ns\` works`,
  );
}

/** The message of a Kubernetes Status body, which client-node hands over as text or object. */
function statusMessage(body: unknown): string | undefined {
  try {
    const status = typeof body === "string" ? JSON.parse(body) : body;
    return typeof status?.message === "string" ? status.message : undefined;
  } catch {
    return typeof body === "string" ? body.slice(0, 200) : undefined;
  }
}
