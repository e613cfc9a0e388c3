/**
 * Shell functions that keep a replaced master from forking or breaking the
 * control plane (issue 10):
 *
 * - `api_answers`: whether the API answers at its VIP, asked several times
 *   (a load balancer may take a while to mark a member healthy), so that the
 *   first master of a running bay joins instead of running `kubeadm init`.
 * - `etcd_forget_self`: a replacement master (same name and private IP as
 *   the server it replaces, no local etcd data) removes its predecessor's
 *   etcd member before `kubeadm join`. Otherwise the new etcd would take over
 *   the old member's id with an empty log and crash, and the dead member
 *   would count against quorum. Guarded: only a member with this node's own
 *   name, only on a server without etcd data, and etcd itself refuses a
 *   removal without quorum. It reads the other masters' etcd client URLs
 *   through the API and talks to etcd's JSON gateway with short-lived client
 *   certificates signed here with the CAs every master holds.
 *
 * The text follows script.ts's rules: `${...}` interpolations are render
 * time; the shell text avoids braces.
 */

/** The two functions, for the scripts of masters (`api` is `<vip>:<port>`). */
export function rejoinFunctions(api: string): string {
  return String.raw`api_answers() {
  local i
  for ((i = 1; i <= 6; i++)); do
    if curl -sk --max-time 5 -o /dev/null "https://${api}/livez"; then return 0; fi
    sleep 10
  done
  return 1
}
# short-lived client certificate: cert_for <dir> <ca basename> <subject>
cert_for() {
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1/$2-client.key" -subj "$3" -out "$1/$2-client.csr" 2>/dev/null
  openssl x509 -req -in "$1/$2-client.csr" -CA "$K/pki/$2.crt" -CAkey "$K/pki/$2.key" -CAcreateserial -days 1 -out "$1/$2-client.crt" 2>/dev/null
}
etcd_api() {
  curl -sf --max-time 10 --cacert "$K/pki/etcd/ca.crt" --cert "$1/etcd/ca-client.crt" --key "$1/etcd/ca-client.key" \
    -X POST "$2/v3/cluster/member/$3" -d "$4"
}
etcd_forget_self() {
  local me d url id
  me=$(hostname)
  if [[ -d /var/lib/etcd/member ]] || ! command -v python3 >/dev/null; then return 0; fi
  d=$(mktemp -d)
  mkdir -p "$d/etcd"
  cert_for "$d" ca "/O=system:masters/CN=kubebay-etcd-reconcile"
  cert_for "$d" etcd/ca "/CN=kubebay-etcd-reconcile"
  curl -sf --max-time 10 --cacert "$K/pki/ca.crt" --cert "$d/ca-client.crt" --key "$d/ca-client.key" \
    "https://${api}/api/v1/namespaces/kube-system/pods?labelSelector=component%3Detcd" >"$d/pods.json" || true
  for url in $(python3 -c 'import json, sys
for p in json.load(open(sys.argv[1])).get("items", []):
    if p["spec"].get("nodeName") != sys.argv[2]:
        print(p["metadata"].get("annotations", {}).get("kubeadm.kubernetes.io/etcd.advertise-client-urls", ""))' "$d/pods.json" "$me" 2>/dev/null); do
    id=$(etcd_api "$d" "$url" list '{}' | python3 -c 'import json, sys
print(next((m["ID"] for m in json.load(sys.stdin).get("members", []) if m.get("name") == sys.argv[1]), ""))' "$me") || continue
    if [[ -n $id ]]; then
      log "removing the etcd member $id of this node's predecessor ($me) through $url"
      etcd_api "$d" "$url" remove "{\"ID\": \"$id\"}" >/dev/null || log "could not remove etcd member $id; kubeadm join may fail"
    fi
    break
  done
  rm -rf "$d"
}
`;
}
