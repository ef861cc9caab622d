# Sourced by the launchers in bin/ and the bench scripts (which set $root to the checkout): runs Maven for a module
# of this checkout when its jar is missing or out of date. Maven runs of one checkout take turns, holding
# target/.build.lock: launchers started together on a fresh clone (the server beside the trainer, two paper-table
# invocations) would otherwise compile the same modules into the same target folders at once, and one of them stops
# half-way ("Proto path element is not a directory"). A launcher whose jar is up to date takes no lock, writes
# nothing and never waits.

# ncf_locked CMD...: runs CMD while holding the checkout's build lock, after any Maven run already holding it
ncf_locked() {
  mkdir -p "$root/target"
  (
    if command -v flock > /dev/null && ! flock -n 9; then
      echo "${0##*/}: waiting for another build of this checkout to finish ($root/target/.build.lock)" >&2
      flock 9
    fi
    "$@"
  ) 9> "$root/target/.build.lock"
}

# ncf_build MODULE JAR STAMP MAVEN_ARGS SOURCE_MODULE...: builds MODULE and the modules it needs when JAR is
# missing, a source or pom of a SOURCE_MODULE (or the root pom) is newer than JAR, or STAMP (build flags and commit;
# empty: not checked) differs from the one JAR was built with. Checked again once the lock is held, so a build that
# finished meanwhile is not redone.
ncf_build() {
  if ! _ncf_stale "$@"; then
    return 0
  fi
  ncf_locked _ncf_build_if_stale "$@"
}

_ncf_stale() { # _ncf_stale MODULE JAR STAMP MAVEN_ARGS SOURCE_MODULE...: true when JAR must be built
  local jar=$2 stamp=$3 m paths=("$root/pom.xml")
  for m in "${@:5}"; do paths+=("$root/$m/src/main" "$root/$m/pom.xml"); done
  [[ ! -f "$jar" || ( -n "$stamp" && "$(cat "${jar%/*}/.built-with" 2> /dev/null)" != "$stamp" ) \
      || -n "$(find "${paths[@]}" -newer "$jar" -print -quit)" ]]
}

_ncf_build_if_stale() {
  local module=$1 jar=$2 stamp=$3 maven_args=$4
  if ! _ncf_stale "$@"; then
    return 0
  fi
  echo "${0##*/}: building $module (mvn package, a minute or two the first time)..." >&2
  # shellcheck disable=SC2086 # the Maven flags are words
  mvn -q -B -Dstyle.color=never -f "$root/pom.xml" -pl "$module" -am package -DskipTests $maven_args >&2 || return
  if [[ -n "$stamp" ]]; then printf '%s' "$stamp" > "${jar%/*}/.built-with"; fi
}
