#!/bin/sh
# Writes a class-data sharing archive for plateau.jar: the classes a restart of `plateau watch`
# loads, already parsed and verified, so that a JVM started with -XX:SharedArchiveFile=ARCHIVE
# maps them instead of loading them from the jar (about half a second of every start on two
# cores). The Docker image runs it at build time, with the JVM that will run the daemon.
# On Java 24 and later it writes an ahead-of-time cache instead (-XX:AOTCacheOutput; JEPs 483,
# 514, 515: classes also linked, and the methods' profiles), for -XX:AOTCache=ARCHIVE.
#
# usage: class-archive.sh JAR ARCHIVE [JVM OPTION...]
#   JVM OPTION: the options the daemon runs with (the image's launcher's), so the archive is
#   written as it will be used.
#
# A simulated job is written (plateau demo), watched once from scratch, then watched again from
# the saved state by the JVM that writes the archive when it exits (on SIGTERM). An archive that
# does not fit the JVM that reads it (another JDK build, another jar) is ignored by that JVM.
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
