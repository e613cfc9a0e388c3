/** `kubebay roll`: replacing a Terraform-deployed bay's servers one at a time (see README "Day 2"). */
export type { RollOptions, RollDeps } from './roll';
export { roll, RollError } from './roll';
export type { RollRole, RollStep, RollPlanOptions } from './plan';
export { rollPlan, serversInState, serverAddress } from './plan';
export type { NodeReader, NodeState } from './kube-api';
export { kubeNodeReader, readKubeconfig, nodeState, createObject, applyObject } from './kube-api';
export type { CommandRunner, CommandResult, EtcdMemberRemover } from './etcd';
export { kubectlEtcdRemover, memberId } from './etcd';
