# Sourced by the scripts that start a server and wait for it (bin/ncf-quickstart, deploy/check-image.sh,
# server/bench/start-server.sh and compare.sh): free ports, and readiness as the server's health reports it, which
# works for any build of the server (compare.sh starts an older checkout's). Sourcing it only defines functions.

# ncf_free_port PORT: the first port from PORT on which nothing listens on this machine
ncf_free_port() {
  local p="$1"
  while _ncf_listens "$p"; do p=$(( p + 1 )); done
  echo "$p"
}

# ncf_await_ready NAME GRPC_PORT HTTP_PORT SECONDS ALIVE_COMMAND...: waits until the server NAME is ready, its
# process has ended (ALIVE_COMMAND fails: e.g. kill -0 PID) or SECONDS have passed, and prints one line saying which
# (on standard error). Ready: HTTP /health answers 200, which it does only while a model is loaded and the server is
# not stopping (as gRPC health says SERVING), and the gRPC port takes connections (HTTP can be up a moment before
# gRPC listens). Returns 0 when ready; 2 when the server is up but serves no model (both ports answer and /health
# says 503: the server loads the repository before its HTTP port opens, so a model that is not loaded by then was
# refused or is missing, and its log says why); 1 otherwise.
ncf_await_ready() {
  local name="$1" grpc="$2" http="$3" limit="$4" t0=$SECONDS status
  shift 4
  while true; do
    status="$(_ncf_health "$http")"
    if [[ -n "$status" ]] && _ncf_listens "$grpc"; then
      if [[ "$status" == 200 ]]; then
        echo "${0##*/}: $name is ready after $(( SECONDS - t0 )) s (HTTP /health on port $http answers 200, gRPC" \
          "port $grpc takes connections)" >&2
        return 0
      fi
      if [[ "$status" == 503 ]]; then
        echo "${0##*/}: $name started but serves no model (HTTP /health on port $http answers 503): its model" \
          "was refused or is missing" >&2
        return 2
      fi
    fi
    if ! "$@" 2> /dev/null; then
      echo "${0##*/}: $name stopped while starting" >&2
      return 1
    fi
    if (( SECONDS - t0 >= limit )); then
      if [[ "$status" == 200 ]]; then
        echo "${0##*/}: $name is not ready after $limit s (gRPC port $grpc takes no connections)" >&2
      else
        echo "${0##*/}: $name is not ready after $limit s (HTTP /health on port $http answers" \
          "${status:-nothing}, not 200)" >&2
      fi
      return 1
    fi
    sleep 0.5
  done
}

_ncf_listens() { # _ncf_listens PORT: true when something on this machine takes connections on PORT
  (echo > "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

_ncf_health() { # _ncf_health HTTP_PORT: the status code GET /health answers (within 5 s), or nothing
  local line
  line="$( { exec 3<> "/dev/tcp/127.0.0.1/$1" && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 \
    && IFS= read -r -t 5 line <&3 && printf '%s' "$line"; } 2> /dev/null )" || return 0
  [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}
