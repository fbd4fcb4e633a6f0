// The lab apiserver's public face, for the lab scripts and the tests.

export type { AccessRule, LabUser } from "./access.js";
export { type CertOptions, ensureLabCerts, type LabCerts } from "./certs.js";
export { FileSource, parseSnapshot } from "./file-source.js";
export { contextNameFor, type KubeconfigOptions, labKubeconfig, writeLabKubeconfig } from "./kubeconfig.js";
export { type LabUserName, labUserRules, labUsers, newToken } from "./lab-users.js";
export { type ApiServerOptions, type RunningApiServer, startApiServer } from "./server.js";
export type { ClusterSnapshot, ClusterSource } from "./source.js";
export type { Change, ClusterStore, StoreOptions } from "./store.js";
