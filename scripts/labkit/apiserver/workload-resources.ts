// The resources a target like deploy/web, sts/db, ds/agent, job/migrate or svc/web resolves
// through: apps/v1 workloads, batch/v1 Jobs, and Services with the Endpoints and EndpointSlices
// that name their pods. Read-only, with the short names and the "all" category kubectl knows.

import type {
  V1DaemonSet,
  V1Deployment,
  V1EndpointSlice,
  V1Endpoints,
  V1Job,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from "@kubernetes/client-node";
import { type ResourceDefinition, readOnlyResource } from "./resource-definition.js";
import { endpointSliceColumns, endpointsColumns, serviceColumns } from "./service-columns.js";
import {
  daemonSetColumns,
  deploymentColumns,
  jobColumns,
  replicaSetColumns,
  statefulSetColumns,
} from "./workload-columns.js";

const all = ["all"];

export const workloadResources = [
  readOnlyResource<V1Service>({
    group: "",
    collection: "services",
    kind: "Service",
    model: "V1Service",
    shortNames: ["svc"],
    categories: all,
    columns: serviceColumns,
  }),
  readOnlyResource<V1Endpoints>({
    group: "",
    collection: "endpoints",
    kind: "Endpoints",
    model: "V1Endpoints",
    shortNames: ["ep"],
    columns: endpointsColumns,
  }),
  readOnlyResource<V1Deployment>({
    group: "apps",
    collection: "deployments",
    kind: "Deployment",
    model: "V1Deployment",
    shortNames: ["deploy"],
    categories: all,
    columns: deploymentColumns,
  }),
  readOnlyResource<V1StatefulSet>({
    group: "apps",
    collection: "statefulsets",
    kind: "StatefulSet",
    model: "V1StatefulSet",
    shortNames: ["sts"],
    categories: all,
    columns: statefulSetColumns,
  }),
  readOnlyResource<V1DaemonSet>({
    group: "apps",
    collection: "daemonsets",
    kind: "DaemonSet",
    model: "V1DaemonSet",
    shortNames: ["ds"],
    categories: all,
    columns: daemonSetColumns,
  }),
  readOnlyResource<V1ReplicaSet>({
    group: "apps",
    collection: "replicasets",
    kind: "ReplicaSet",
    model: "V1ReplicaSet",
    shortNames: ["rs"],
    categories: all,
    columns: replicaSetColumns,
  }),
  // Real clusters give jobs and endpointslices no short name.
  readOnlyResource<V1Job>({
    group: "batch",
    collection: "jobs",
    kind: "Job",
    model: "V1Job",
    categories: all,
    columns: jobColumns,
  }),
  readOnlyResource<V1EndpointSlice>({
    group: "discovery.k8s.io",
    collection: "endpointslices",
    kind: "EndpointSlice",
    model: "V1EndpointSlice",
    columns: endpointSliceColumns,
  }),
] as ResourceDefinition[];
