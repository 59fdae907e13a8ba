# Sourced by build-image.sh and check-image.sh: which limits podman can set on this machine.
#   probe_limits IMAGE   sets the arrays
#     ulimits  ()  or --ulimit flags within this process's own hard limits
#     limits   (--memory ... --pids-limit ...) or () where cgroups cannot be written
# Podman gives every container RLIMIT_NOFILE 1048576 by default; raising a limit above the
# caller's hard limit needs CAP_SYS_RESOURCE, which a nested sandbox may not grant ("error
# setting rlimit type 7: operation not permitted"). A CI machine's root has it. Each fallback
# is reported, never silent.
probe_limits() {
  local image="$1" err nofile
  ulimits=()
  limits=(--memory 1536m --pids-limit 2048)
  try() { err="$(podman run --rm "${ulimits[@]}" "${limits[@]}" --entrypoint /usr/local/bin/node "$image" -e 0 2>&1)"; }
  try && return 0
  if grep -q 'error setting rlimit' <<<"$err"; then
    nofile="$(ulimit -Hn)"
    [ "$nofile" = unlimited ] || [ "$nofile" -gt 65536 ] && nofile=65536
    ulimits=(--ulimit "nofile=$nofile:$nofile" --ulimit nproc=4096:4096)
    echo "podman: this machine cannot raise a container's rlimits above its own (no CAP_SYS_RESOURCE: $(grep -o 'error setting rlimit[^:]*' <<<"$err" | head -1)); containers get ${ulimits[*]}" >&2
    try && return 0
  fi
  if grep -qiE 'cgroup|controller|memory limit|pids limit|resource limit' <<<"$err"; then
    echo "podman: WARNING: this machine cannot set container resource limits (cgroups); running without --memory/--pids-limit: $(tail -1 <<<"$err")" >&2
    limits=()
    try && return 0
  fi
  echo "podman cannot run $image: $err" >&2
  return 1
}
