# Plateau as a container, e.g. a sidecar next to a training job (see examples/kubernetes/).
#   docker build -t plateau .
#   docker run -v /path/to/logs:/logs -v plateau-state:/state -p 9321:9321 plateau
# Flags (CONVERGED, DIVERGED ...) are written into /logs; mount it read-only and add
# --flag-dir /flags (a writable volume) if the training side should not share write access.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY proto proto
COPY config config
COPY src/main src/main
RUN ./mvnw -B -q -DskipTests package

# The user (UID 10001, not root) may write to its volumes and nowhere else: /state (the database;
# also the JVM's temporary directory, where SQLite unpacks its native library, and crash logs)
# and /logs (flags, when the volume lets it). The image's own files stay root's and read-only,
# and no directory is left writable by everyone (/tmp included): the build fails if one is.
# Token for the status page and /api/* when the port is published: PLATEAU_HTTP_TOKEN_FILE
# (e.g. a mounted secret) or PLATEAU_HTTP_TOKEN; without one Plateau warns at start-up.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 plateau \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /state --shell /usr/sbin/nologin plateau \
    && mkdir -p /logs /state && chown 10001:10001 /state && chmod 0700 /state \
    && find / -xdev -perm -0002 ! -type l -exec chmod o-w {} + \
    && writable="$(find / -xdev \( -perm -0002 -o -user 10001 -o -group 10001 \) ! -type l ! -path /state)" \
    && if [ -n "$writable" ]; then echo "writable outside the volumes: $writable"; exit 1; fi
COPY --from=build /src/target/plateau.jar /opt/plateau/plateau.jar
COPY config/plateau.yaml /etc/plateau/plateau.yaml
# Class-data sharing: the classes a restart loads, parsed and verified once here by the JVM that
# runs the daemon (with the ENTRYPOINT's options), are mapped at every start instead of loaded
# from the jar: about half a second less on two cores. A JVM that cannot use it ignores it.
# (Java 25's AOT cache starts faster still, but its SerialGC lets the heap grow where 17 collects:
# 339 -> 498 MB resident under the live-scale load; see docs/performance.md.)
COPY tools/class-archive.sh /opt/plateau/class-archive.sh
RUN sh /opt/plateau/class-archive.sh /opt/plateau/plateau.jar /opt/plateau/plateau.jsa -XX:+UseSerialGC -Xss512k -XX:-UsePerfData
USER 10001
VOLUME ["/state"]
EXPOSE 9321
ENV PLATEAU_STATE_DIR=/state
# File names are decoded with the locale's charset: a UTF-8 locale, whatever the base image sets,
# so that a run named 'exp-é' is read and flagged (under a POSIX locale Java cannot name it).
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xss512k", "-XX:-UsePerfData", "-jar", "/opt/plateau/plateau.jar", "health", "http://127.0.0.1:9321/healthz"]
# SerialGC returns memory after a full collection down to MaxHeapFreeRatio; -ShrinkHeapInSteps
# does it at the first one (by default the JVM shrinks over four: 0, 10, 40 then 100 %), so the heap
# of a daemon whose experiments just left memory shrinks when Plateau asks for the collection.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/plateau/plateau.jsa", "-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps", "-Xss512k", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/state", "-XX:ErrorFile=/state/hs_err_pid%p.log", "-jar", "/opt/plateau/plateau.jar", "watch", "/logs", "--state-dir", "/state", "--http", "0.0.0.0:9321"]
