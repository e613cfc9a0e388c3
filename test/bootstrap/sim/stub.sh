#!/bin/bash
# Multi-call stub of the bootstrap simulation: installed as every command the
# bootstrap must not really run (kubeadm, kubectl, systemctl, apt-get, curl,
# mount, blkid, lsblk, ...). Logs "<name> <args>" to /sim/calls.log.
# /sim/fail/<name>-<key> holds how many more calls of that kind fail.
name=$(basename "$0")
echo "$name $*" >>/sim/calls.log
# Calls made with a proxy environment (the egress options): /sim/proxied.log
if [[ -n ${https_proxy:-} ]]; then echo "$name https_proxy=$https_proxy no_proxy=${no_proxy:-}" >>/sim/proxied.log; fi
# fails <key>: true (and counts down) while failures remain for <key>
fails() {
  local f=/sim/fail/$1 n
  [[ -f $f ]] || return 1
  n=$(cat "$f")
  ((n > 0)) || return 1
  echo $((n - 1)) >"$f"
  return 0
}
arg_after() { # arg_after <flag> <args...>: the argument following <flag>
  local flag=$1
  shift
  while (($#)); do
    if [[ $1 == "$flag" ]]; then echo "$2"; return 0; fi
    shift
  done
  return 1
}
case $name in
  curl)
    url=${*: -1}
    if [[ $* == *"--data-binary"* ]]; then
      body=$(arg_after --data-binary "$@")
      if fails signal; then echo "$body" >>/sim/signals-failed; exit 22; fi
      echo "$body" >>/sim/signals
      exit 0
    fi
    if [[ $url == */livez ]]; then exit 7; fi
    if [[ $url == */version ]]; then
      # /sim/api-versions: one answer per call (the last one repeats), "down" = no answer
      v=v1.31.2
      if [[ -f /sim/api-versions ]]; then
        v=$(sed -n 1p /sim/api-versions)
        if (($(wc -l </sim/api-versions) > 1)); then sed -i 1d /sim/api-versions; fi
      fi
      if [[ $v == down ]]; then exit 7; fi
      printf '{\n  "major": "1",\n  "gitVersion": "%s",\n  "platform": "linux/amd64"\n}\n' "$v"
      exit 0
    fi
    out=$(arg_after -o "$@") || exit 0
    case $url in
      # the pinned release's manifest (test/fixtures/flannel), or another the scenario serves
      *kube-flannel.yml) cp /sim/kube-flannel.yml "$out" ;;
      # a Calico manifest the scenario serves (the release's calico-node part, test/fixtures/calico)
      *calico.yaml) cp /sim/calico.yaml "$out" ;;
      *) echo "stub download of $url" >"$out" ;;
    esac
    ;;
  kubeadm)
    case $1 in
      version) echo v1.31.2 ;;
      config)
        repo=$(arg_after --image-repository "$@") || repo=registry.k8s.io
        printf '%s/kube-apiserver:v1.31.2\n%s/coredns:v1.11.3\n%s/pause:3.10\n%s/etcd:3.5.15-0\n' "$repo" "$repo" "$repo" "$repo"
        ;;
      init | join)
        if fails "kubeadm-$1"; then exit 1; fi
        cp "$(arg_after --config "$@")" "/sim/kubeadm-$1.yaml"
        echo "stub kubeconfig" >/etc/kubernetes/kubelet.conf
        echo "stub kubeconfig" >/etc/kubernetes/admin.conf
        ;;
    esac
    ;;
  kubectl)
    if [[ $* == *"create secret generic"* ]]; then
      # The Secret kubectl would print: its keys and their file contents, base64.
      echo "apiVersion: v1"
      echo "kind: Secret"
      echo "data:"
      for a in "$@"; do
        if [[ $a == --from-file=* ]]; then
          kv=${a#--from-file=}
          echo "  ${kv%%=*}: $(base64 -w0 <"${kv#*=}")"
        fi
      done
    elif [[ $* == *"apply -f -"* ]]; then
      if fails kubectl-apply; then exit 1; fi
      cat >>/sim/applied-stdin
    fi
    ;;
  kubelet)
    if [[ $1 == --version ]]; then cat /sim/kubelet-version 2>/dev/null || echo "Kubernetes v1.31.2"; fi
    ;;
  containerd)
    if [[ $1 == config ]]; then
      printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.6"\n  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\n    SystemdCgroup = false\n  [plugins."io.containerd.grpc.v1.cri".registry]\n    config_path = ""\n'
    fi
    ;;
  blkid)
    dev=${*: -1}
    if [[ $* == *"-s UUID"* ]]; then echo 0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0; exit 0; fi
    [[ -f /sim/formatted-$(basename "$dev") ]] || exit 2
    ;;
  mkfs.ext4) touch "/sim/formatted-$(basename "${*: -1}")" ;;
  lsblk) [[ -f /sim/lsblk ]] && cat /sim/lsblk ;;
  mountpoint) exit 1 ;;
  systemctl) ;;
  hostname) echo sim-node ;;
  sleep) ;;
esac
exit 0
