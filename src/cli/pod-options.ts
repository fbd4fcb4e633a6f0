// Which pod, and how to reach it: the flags every one-pod command (a detached capture, exec,
// shell, bundle, a runbook's per-pod steps) passes on the same way.

export interface PodFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  container?: string;
  inventory?: string;
  insecureAcceptHostKey?: boolean;
  skipAccessCheck?: boolean;
}

export interface PodOptions {
  pod: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  container?: string;
  inventory?: string;
  insecureAcceptHostKey: boolean;
  skipAccessCheck: boolean;
}

/** `namespace`: where the pod was found, when that is known better than the flags say. */
export const podOptions = (pod: string, flags: PodFlags, namespace = flags.namespace): PodOptions => ({
  pod,
  namespace,
  context: flags.context,
  kubeconfig: flags.kubeconfig,
  container: flags.container,
  inventory: flags.inventory,
  insecureAcceptHostKey: flags.insecureAcceptHostKey ?? false,
  skipAccessCheck: flags.skipAccessCheck ?? false,
});
