# Sourced by the launchers in bin/ and by trainer/bench/run-java.sh (which set $root to the checkout): runs Maven for
# a module of this checkout when its jar is missing or out of date. Maven runs of one checkout take turns, holding
# target/.build.lock: launchers started together on a fresh clone (the server beside the trainer, two paper-table
# invocations) would otherwise compile the same modules into the same target folders at once, and one of them stops
# half-way ("Proto path element is not a directory").

# ncf_locked CMD...: runs CMD while holding the checkout's build lock (waits for a build already running)
ncf_locked() {
  mkdir -p "$root/target"
  ( if command -v flock > /dev/null; then flock 9; fi; "$@" ) 9> "$root/target/.build.lock"
}

# ncf_build LABEL MODULE JAR STAMP MAVEN_ARGS PATH...: builds MODULE and the modules it needs when JAR is missing,
# a PATH (its sources and poms) is newer than JAR, or STAMP (build flags and commit; empty: not checked) differs from
# the one JAR was built with. Checked again once the lock is held, so a build that finished meanwhile is not redone.
ncf_build() {
  ncf_locked _ncf_build_if_stale "$@"
}

_ncf_build_if_stale() {
  local label=$1 module=$2 jar=$3 stamp=$4 maven_args=$5
  shift 5
  local stamp_file="${jar%/*}/.built-with"
  if [[ -f "$jar" && ( -z "$stamp" || "$(cat "$stamp_file" 2> /dev/null)" == "$stamp" ) \
        && -z "$(find "$@" -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "$label: building $module (mvn package, a minute or two the first time)..." >&2
  # shellcheck disable=SC2086 # the Maven flags are words
  mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl "$module" -am package -DskipTests $maven_args >&2 || return
  if [[ -n "$stamp" ]]; then printf '%s' "$stamp" > "$stamp_file"; fi
}
