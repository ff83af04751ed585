#!/bin/sh
# Writes an ahead-of-time cache for plateau.jar: what a restart of `plateau watch` loads, links
# and profiles, so that a JVM started with -XX:AOTCache=CACHE maps its classes already parsed,
# verified and linked, and compiles its hot methods from the profiles in the cache instead of
# waiting to gather them. The Docker image runs it at build time, with the JVM that will run the
# daemon (Java 25: JEP 483, 514, 515).
#
# usage: aot-cache.sh JAR CACHE [JVM OPTION...]
#   JVM OPTION: the options the daemon runs with (the image's ENTRYPOINT's), so the cache is
#   written as it will be used.
#
# A simulated job is written (plateau demo), watched once from scratch, then watched again from
# the saved state by the JVM that writes the cache when it exits (on SIGTERM): the training run.
# A JVM before Java 24 has no AOT cache: there the file is a class-data sharing archive of the
# same run (-XX:ArchiveClassesAtExit), for -XX:SharedArchiveFile. A cache that does not fit the
# JVM that reads it (another JDK build, another jar) is ignored by that JVM, which says so.
set -eu
jar=$1
archive=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${PLATEAU_ARCHIVE_PORT:-9329}
# Every JVM here keeps its temporary files (SQLite's native library) in the work directory.
probe="java -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djava.io.tmpdir=$work -jar $jar"

$probe demo --logdir "$work/logs" --duration 2s > "$work/demo.log" 2>&1 || {
  cat "$work/demo.log"
  exit 1
}

watch() {
  java "$@" -Djava.io.tmpdir="$work" -jar "$jar" watch "$work/logs" --state-dir "$work/state" \
    --http "127.0.0.1:$port" > "$work/watch.log" 2>&1 &
  pid=$!
  tries=0
  until $probe health "http://127.0.0.1:$port/readyz" > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 120 ] || ! kill -0 "$pid" 2> /dev/null; then
      cat "$work/watch.log"
      kill "$pid" 2> /dev/null || true
      exit 1
    fi
    sleep 0.5
  done
  kill -TERM "$pid"
  wait "$pid"
}

watch "$@"
rm -f "$archive"
if java -XX:+PrintFlagsFinal -version 2> /dev/null | grep -q ' AOTCacheOutput '; then
  watch "$@" "-XX:AOTCacheOutput=$archive"
else
  watch "$@" "-XX:ArchiveClassesAtExit=$archive"
fi
test -s "$archive"
