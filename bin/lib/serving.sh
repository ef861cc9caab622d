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
# (on standard error); returns 0 only when it is ready. Ready: HTTP /health answers 200, which it does only while a
# model is loaded and the server is not stopping (as gRPC health says SERVING), and the gRPC port takes connections
# (HTTP can be up a moment before gRPC listens).
ncf_await_ready() {
  local name="$1" grpc="$2" http="$3" limit="$4" t0=$SECONDS
  shift 4
  while true; do
    if _ncf_healthy "$http" && _ncf_listens "$grpc"; then
      echo "${0##*/}: $name is ready after $(( SECONDS - t0 )) s (HTTP /health on port $http answers 200, gRPC" \
        "port $grpc takes connections)" >&2
      return 0
    fi
    if ! "$@" 2> /dev/null; then
      echo "${0##*/}: $name stopped while starting" >&2
      return 1
    fi
    if (( SECONDS - t0 >= limit )); then
      echo "${0##*/}: $name is not ready after $limit s (HTTP /health on port $http does not answer 200)" >&2
      return 1
    fi
    sleep 0.5
  done
}

_ncf_listens() { # _ncf_listens PORT: true when something on this machine takes connections on PORT
  (echo > "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

_ncf_healthy() { # _ncf_healthy HTTP_PORT: true when GET /health answers 200 (within 5 s of asking)
  local status
  status="$( { exec 3<> "/dev/tcp/127.0.0.1/$1" && printf 'GET /health HTTP/1.0\r\n\r\n' >&3 \
    && IFS= read -r -t 5 line <&3 && printf '%s' "$line"; } 2> /dev/null )" || return 1
  [[ "$status" =~ ^HTTP/[0-9.]+\ 200 ]]
}
