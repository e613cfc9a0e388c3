/**
 * Kubernetes version skew during a rolling upgrade (issue 10): a kubelet may
 * be older than the API servers, never newer. Heat rolls minions alongside
 * the masters and `kubebay roll` or a plain `terraform apply -replace` can
 * replace a minion first, so a new minion may boot with a newer kubelet than
 * the API servers still run. Before `kubeadm join`, a worker asks the API
 * (`GET /version`, anonymous: `system:public-info-viewer`) for its version
 * and waits, bounded and logged, until its minor is at least the kubelet's.
 *
 * `/version` is read without verifying the API's certificate: the version is
 * public, and a forged answer can only delay the join (bounded) or let it
 * go ahead, where `kubeadm join` pins the cluster CA by its hash.
 *
 * The text follows script.ts's rules: `${...}` interpolations are render
 * time; the shell text avoids braces.
 */

/** Seconds between two polls of the API's version. */
export const SKEW_POLL_SECONDS = 30;

/**
 * Seconds of the retry budget kept for `kubeadm join` after the wait: the
 * wait polls until `deadline - SKEW_JOIN_RESERVE_SECONDS` (at least once).
 */
export const SKEW_JOIN_RESERVE_SECONDS = 600;

/**
 * `wait_api_version`: returns when the API at `api` (`<vip>:<port>`) runs at
 * least this kubelet's minor, or when it never answered within the bound
 * (then `kubeadm join` retries on its own); fails the bootstrap (FAILURE
 * signal naming both versions) when the API still runs an older minor at the
 * end. Needs `log`, `die` and `deadline` of the script's header.
 */
export function versionSkewFunctions(api: string): string {
  return String.raw`# minor of a "v1.<minor>..." version in the text on stdin (empty if none)
minor_of() { sed -n 's/.*v1\.\([0-9][0-9]*\).*/\1/p' | sed -n 1p; }
api_minor() {
  local v
  if ! v=$(curl -sk --max-time 10 "https://${api}/version"); then return 0; fi
  printf '%s\n' "$v" | grep '"gitVersion"' | minor_of || true
}
wait_api_version() {
  local own polls i v=''
  own=$(kubelet --version 2>/dev/null | minor_of) || own=
  if [[ -z $own ]]; then
    log "version skew: cannot read this kubelet's version, not waiting"
    return 0
  fi
  polls=$(((deadline - SECONDS - ${SKEW_JOIN_RESERVE_SECONDS}) / ${SKEW_POLL_SECONDS}))
  if ((polls < 1)); then polls=1; fi
  for ((i = 1; ; i++)); do
    v=$(api_minor)
    if [[ -n $v ]] && ((v >= own)); then
      log "version skew: the API at ${api} runs v1.$v, this kubelet v1.$own: joining"
      return 0
    fi
    if ((i >= polls)); then break; fi
    if [[ -z $v ]]; then
      log "version skew: no version from https://${api}/version yet (poll $i/$polls), retrying in ${SKEW_POLL_SECONDS} s"
    else
      log "version skew: the API at ${api} runs v1.$v, older than this kubelet v1.$own: waiting for the masters' upgrade (poll $i/$polls), retrying in ${SKEW_POLL_SECONDS} s"
    fi
    sleep ${SKEW_POLL_SECONDS}
  done
  if [[ -n $v ]]; then
    die "the API at ${api} still runs v1.$v, older than this kubelet v1.$own (unsupported version skew) after $polls polls ${SKEW_POLL_SECONDS} s apart; upgrade the masters first"
  fi
  log "version skew: the API at ${api} gave no version after $polls polls; joining (kubeadm join retries)"
}
`;
}
