#!/usr/bin/env bash
# The NCF paper's table on MovieLens 1M (the paper's split, ../shared/data/ml-1m-ncf): GMF, MLP, NeuMF and NeuMF
# initialised from that factor's GMF and MLP (alpha 0.5), at 8, 16, 32 and 64 predictive factors with the paper's
# tower (MLP 8f-4f-2f-f), each for several seeds. Every run holds out a validation item per user (--validation) and
# is then read both ways: at the epoch the validation item chose (the honest selection) and at the best test epoch
# (the paper's protocol). NeuMF with pretraining runs twice: from the GMF and MLP checkpoints the validation item
# chose (neumf-pre, read both ways), and from their best test epochs (neumf-pre-test, read by the best test epoch
# only), as the authors' code pretrains under the paper's protocol. Writes OUT/table.md (beside the paper's figures) and OUT/factors.png (HR@10 and NDCG@10
# against factors, ours and the paper's), and prints the table.
#
# Resumable: a finished run keeps its folder (OUT/f<factor>/s<seed>/<model> with report.json) and is skipped the
# next time; an interrupted one (its folder <model>.partial) goes on from its last finished epoch (ncf-train
# --resume, whose state is saved after every epoch). Uses every core: JOBS runs at once, one training worker each. The
# runs use a copy of the trainer (OUT/.trainer), so the checkout can be rebuilt meanwhile; run one invocation
# per OUT at a time.
#
# Usage: paper-table.sh [OUT=runs/paper-table]
# Environment: FACTORS (default "8 16 32 64"), SEEDS ("1 2 3"), MODELS ("gmf mlp neumf neumf-pre neumf-pre-test";
#   the neumf-pre runs need their factor's GMF and MLP in OUT, from this invocation or an earlier one), EPOCHS (20),
#   JOBS (nproc), NCF_SPLIT (the split folder), PRETRAINED_FLAGS (extra flags for fine-tuning NeuMF from GMF and MLP; default none: Adam at 0.001,
#   which did better than the paper's plain SGD at factor 8; "--optimizer sgd --lr 0.001" is the paper's way),
#   GMF_FLAGS and MLP_FLAGS (extra flags for the GMF and MLP runs, which NeuMF with pretraining starts from; e.g.
#   "--embedding-l2 0.001 --epochs 40": an --epochs there replaces EPOCHS for that model); GMF_FLAGS_<f>,
#   MLP_FLAGS_<f> and PRETRAINED_FLAGS_<f> replace them at factor f only (e.g. PRETRAINED_FLAGS_8; set and empty
#   means no extra flags there). Flags are split at spaces: a value cannot hold one. A finished run made with other
#   flags is refused, naming its folder: another recipe wants another OUT. PLAN=1 prints each run's ncf-train flags
#   and state (to-do, to resume, done, refused, blocked) and exits, building, training and writing nothing.
set -euo pipefail -o noglob
{ # read whole before it runs: the table takes hours, and a checkout changed meanwhile must not change this run
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${PLAN:-0}" in
  0) plan=0 ;; 1) plan=1 ;;
  *) echo "paper-table: PLAN is '$PLAN'; PLAN=1 prints what would run, PLAN=0 (or unset) runs it" >&2; exit 2 ;;
esac
if (( plan )); then
  out="$(realpath -m "${1:-$root/runs/paper-table}")"
else
  out="$(mkdir -p "${1:-$root/runs/paper-table}" && cd "${1:-$root/runs/paper-table}" && pwd)"
fi
unset $(compgen -v NCF_TABLE_ || true) # only what this invocation sets below reaches the runs
export NCF_TABLE_OUT="$out" NCF_TABLE_ROOT="$root"
export NCF_TABLE_DATA="${NCF_SPLIT:-$root/../shared/data/ml-1m-ncf}"
export NCF_TABLE_EPOCHS="${EPOCHS:-20}" NCF_TABLE_PRE="${PRETRAINED_FLAGS:-}"
export NCF_TABLE_GMF="${GMF_FLAGS:-}" NCF_TABLE_MLP="${MLP_FLAGS:-}"
factors="${FACTORS:-8 16 32 64}"
seeds="${SEEDS:-1 2 3}"
models=" ${MODELS:-gmf mlp neumf neumf-pre neumf-pre-test} "
for m in $models; do
  case $m in gmf | mlp | neumf | neumf-pre | neumf-pre-test) ;;
    *) echo "paper-table: unknown model '$m' in MODELS (gmf, mlp, neumf, neumf-pre, neumf-pre-test)" >&2; exit 2 ;;
  esac
done
for f in $factors; do
  [[ $f =~ ^[1-9][0-9]*$ ]] || { echo "paper-table: factor '$f' in FACTORS is not a positive whole number" >&2; exit 2; }
done
for var in $(compgen -v | grep -E '^(GMF|MLP|PRETRAINED)_FLAGS_' || true); do # a factor's own flags
  f="${var##*_}"
  if [[ " $(echo $factors) " != *" $f "* ]]; then
    echo "paper-table: $var is not used: $f is not one of FACTORS ($(echo $factors))" >&2
    continue
  fi
  kind="${var%%_*}"
  export "NCF_TABLE_${kind/PRETRAINED/PRE}_$f=${!var}" # GMF_FLAGS_8 becomes NCF_TABLE_GMF_8, and so on
done
jobs="${JOBS:-$(nproc)}"
[[ -d "$NCF_TABLE_DATA" ]] || { echo "paper-table: no split folder $NCF_TABLE_DATA (set NCF_SPLIT)" >&2; exit 2; }

part_of() { # part_of MODEL: the checkpoint of GMF and MLP a pretrained NeuMF starts from
  if [[ $1 == neumf-pre-test ]]; then echo model-by-test; else echo model; fi # best test epoch / validation's
}
export -f part_of

run_args() { # run_args FACTOR SEED MODEL: sets the caller's args (ncf-train's) and own (the model's flags)
  local dir="$NCF_TABLE_OUT/f$1/s$2/$3"
  args=(--ncf-split "$NCF_TABLE_DATA" --validation --factor "$1" --seed "$2"
        --threads 1 --no-export --no-full-ranking --resume -o "$dir.partial")
  local extra="NCF_TABLE_${3^^}" # NCF_TABLE_GMF, _MLP; NeuMF with pretraining takes NCF_TABLE_PRE
  [[ $3 == neumf-pre* ]] && extra=NCF_TABLE_PRE
  local factor_own="${extra}_$1" # the factor's own flags replace the general ones
  [[ -n "${!factor_own+set}" ]] && extra=$factor_own
  read -r -a own <<< "${!extra:-}"
  case " ${own[*]} " in # a model's own --epochs wins
    *" --epochs "* | *" --epochs="*) ;;
    *) own+=(--epochs "$NCF_TABLE_EPOCHS") ;;
  esac
  if [[ $3 == neumf-pre* ]]; then
    local part
    part="$(part_of "$3")"
    args+=(--model neumf --pretrained-gmf "$NCF_TABLE_OUT/f$1/s$2/gmf/$part"
           --pretrained-mlp "$NCF_TABLE_OUT/f$1/s$2/mlp/$part" "${own[@]}")
  else
    args+=(--model "$3" "${own[@]}")
  fi
}
export -f run_args

run_state() { # run_state FACTOR SEED MODEL (after run_args): done, to-do, to resume, or why it cannot run
  local dir="$NCF_TABLE_OUT/f$1/s$2/$3"
  if [[ -f "$dir/report.json" ]]; then # finished; runs made before the flags were recorded have no flags file
    if [[ -f "$dir/flags" && "$(cat "$dir/flags")" != "${own[*]}" ]]; then
      echo "refused: $dir was trained with $(cat "$dir/flags"), not ${own[*]}; use another OUT, or remove that" \
        "folder to train it again"
    else
      echo done
    fi
    return
  fi
  if [[ $3 == neumf-pre* ]]; then
    local part m after=""
    part="$(part_of "$3")"
    for m in gmf mlp; do
      if [[ ! -f "$NCF_TABLE_OUT/f$1/s$2/$m/report.json" ]]; then
        # PLAN: a part this invocation trains first (its first phase) is not missing yet
        if [[ ${NCF_TABLE_PLANNED:-} == *" $m "* ]]; then after+=" $m"; continue; fi
        echo "blocked: it starts from a finished $m run, and $NCF_TABLE_OUT/f$1/s$2/$m has none; train it first" \
          "(add $m to MODELS)"
        return
      fi
      if [[ ! -d "$NCF_TABLE_OUT/f$1/s$2/$m/$part" ]]; then
        echo "blocked: $NCF_TABLE_OUT/f$1/s$2/$m has no $part (trained by an older trainer); remove that folder" \
          "to train it again"
        return
      fi
    done
    if [[ -n $after ]]; then echo "to-do after$after"; return; fi
  fi
  if [[ -d "$dir.partial" ]]; then echo "to resume"; else echo to-do; fi
}
export -f run_state

run_one() { # run_one FACTOR SEED MODEL
  local dir="$NCF_TABLE_OUT/f$1/s$2/$3"
  local -a args own
  run_args "$@"
  local state
  state="$(run_state "$@")"
  case $state in
    done) return 0 ;;
    refused:* | blocked:*) echo "FAILED factors $1 seed $2 $3: ${state#*: }" >&2; return 1 ;;
  esac
  mkdir -p "$(dirname "$dir")"
  local t0=$SECONDS
  if "$NCF_TABLE_ROOT/bin/ncf-train" "${args[@]}" >> "$dir.log" 2>&1; then
    echo "${own[*]}" > "$dir.partial/flags"
    rm -rf "$dir" && mv "$dir.partial" "$dir" || return 1
    echo "done   factors $1 seed $2 $3 in $(( SECONDS - t0 )) s: $(grep '^best epoch' "$dir.log" | cut -d';' -f1)"
  else
    echo "FAILED factors $1 seed $2 $3 (see $dir.log):" >&2
    tail -3 "$dir.log" >&2
    return 1
  fi
}
export -f run_one

# the costliest first, so that the last runs to finish are short; NeuMF with pretraining once its GMF and MLP exist
queue() { # queue MODELS..., those of them in $models
  local m
  for f in $factors; do for s in $seeds; do for m in "$@"; do
    if [[ $models == *" $m "* ]]; then echo "$f $s $m"; fi
  done; done; done | sort -s -k1,1nr
}
plan() { # each queued run, in order, as "f<factor> s<seed> <model> (<state>): ncf-train <its flags>"
  local NCF_TABLE_PLANNED="$models" # what this invocation trains first is not missing (run_state reads it)
  (queue mlp neumf gmf; queue neumf-pre neumf-pre-test) | while read -r f s m; do
    args=() own=()
    run_args "$f" "$s" "$m"
    echo "f$f s$s $m ($(run_state "$f" "$s" "$m")): ncf-train$(printf ' %q' "${args[@]}")"
  done
}
if (( plan )); then # what would run, and with which flags; nothing is built, trained or written
  plan
  exit 0
fi
env -u NCF_TRAINER_JAR "$root/bin/ncf-train" --help > /dev/null # builds the trainer once, before the runs start
# the runs use a copy of the trainer, so that rebuilding the checkout meanwhile cannot disturb them
snapshot="$out/.trainer"
rm -rf "$snapshot" && mkdir -p "$snapshot"
. "$root/bin/lib/build.sh" # the copy waits for any build of the checkout that started meanwhile
ncf_locked cp -r "$root/trainer/target/ncf-trainer.jar" "$root/trainer/target/lib" "$snapshot/"
export NCF_TRAINER_JAR="$snapshot/ncf-trainer.jar"

start=$(date +%s)
logged=0
wall() { # appends this invocation's wall time to OUT/wall.log, once
  (( logged )) || echo "$start $(date +%s) $(( $(date +%s) - start )) jobs=$jobs" >> "$out/wall.log"
  logged=1
}
trap wall EXIT
todo=$(plan | grep -c '^[^(]* (to' || true) # the runs that will train: not those done, refused or blocked
echo "paper-table: $todo runs to do (factors $factors; seeds $seeds; $NCF_TABLE_EPOCHS epochs where the flags set" \
  "none), $jobs at a time, results in $out" >&2
status=0
queue mlp neumf gmf | xargs -r -P "$jobs" -L 1 bash -c 'run_one "$@"' _ || status=1
queue neumf-pre neumf-pre-test | xargs -r -P "$jobs" -L 1 bash -c 'run_one "$@"' _ || status=1
wall
"$root/bin/lib/run-java.sh" trainer PaperTable "$out"
exit $status
}
