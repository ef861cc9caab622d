# Sourced by the launchers (bin/ncf-server, bin/ncf-train), the benchmark runner (bin/lib/run-java.sh) and the
# server image's entry point (deploy/ncf-server.sh; the images carry this file beside it): the JVM settings each
# module's programs run with, defined once. Sourcing it only defines ncf_jvm.

# ncf_jvm MODULE: sets the array jvm_flags to the java flags of MODULE's programs and exports the environment they
# need; a module without settings of its own gets none.
ncf_jvm() {
  jvm_flags=()
  case "$1" in
    server)
      # the vector API (an incubating module of the JDK) lets the fused ranking kernel compute a vector of items
      # per instruction; a JDK without it serves with the kernel's scalar loops. (grep reads the whole list, so
      # java never writes into a closed pipe.)
      if java --list-modules 2> /dev/null | grep '^jdk.incubator.vector@' > /dev/null; then
        jvm_flags+=(--add-modules jdk.incubator.vector)
      fi
      # the heap holds the ids, the seen items and each call's arrays, not the tables (mapped, outside it): the
      # serial collector, with the heap given back down to 30% free after a collection, keeps it near what it holds.
      # Measured on a 365 MiB bundle (NeuMF, 200,000 users, 1,000,000 items) after serving load: resident 895 MiB
      # against 1309 with G1, whose heap stayed at the load's 736 MiB and whose own structures took 68 MiB more
      # (server/bench/big-bundle.sh). One run each on a busy 2-core machine: Recommend p50 39 ms against 31 with
      # G1, Score p50 0.58 against 0.53 ms; a comparison on a quiet machine is still to be made
      # The collector gives the heap back in steps (none at the first full collection after growth, 10%, 40%, then
      # all): -ShrinkHeapInSteps gives it back at once, so that the full collection after an item index's build
      # returns what the build grew (on a 1.5 GB bundle of a million items, 2,003 MiB resident after the load
      # against 2,728 MiB, server/bench/big-bundle.sh).
      jvm_flags+=(-XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps)
      ;;
    trainer)
      # glibc hands large freed blocks back to the kernel straight away, so PyTorch's per-step temporaries (the
      # size of the embedding tables) page-fault on every step; keeping them in the heap makes NeuMF training ~1.4x
      # faster. Values set by the caller win. trainer/pom.xml gives the tests the same two values (surefire cannot
      # source this file); the checks module's JvmSettingsTest keeps them equal.
      export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
      export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-134217728}"
      # PyTorch puts its allocations of 2 MB and more (the embedding tables, the optimizer's state) in huge pages
      # where the kernel's transparent huge pages allow it (enabled "always" or "madvise"): a batch's rows are
      # scattered over the tables, and with 4 kB pages each row costs a page walk once the tables outgrow the
      # TLB's reach (a few MB). NeuMF at MovieLens 20M's counts trained 7% faster (trainer/bench/scale.sh).
      export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
      # the trainer draws its curves into PNG files, never on a screen
      jvm_flags+=(-Djava.awt.headless=true)
      ;;
  esac
}
