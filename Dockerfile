# Plateau as a container, e.g. a sidecar next to a training job (see examples/kubernetes/).
#   docker build -t plateau .
#   docker run -v /path/to/logs:/logs -v plateau-state:/state -p 9321:9321 plateau
#   docker run ... plateau --http 0.0.0.0:9000 --poll-interval 5s    the default watch, other flags
#   docker run ... plateau check /logs                                 any other command
# The ENTRYPOINT is a launcher (docker/plateau) that starts the JVM with the image's options; the
# CMD is the default command. Arguments that start with an option are added to the default
# command, and an option given again takes its last value (docs/deployment.md).
# Flags (CONVERGED, DIVERGED ...) are written into /logs; mount it read-only and add
# --flag-dir /flags (a writable volume) if the training side should not share write access.
#
# Base images are pinned by digest (multi-architecture index), with their tag for readers and
# for update tools; a new digest is a deliberate change of this file.

FROM eclipse-temurin:17-jdk@sha256:5d6042fb8cdc14d614e4e421f52e3211fc5aeadddce44cbf9de8ed37c791f824 AS build
WORKDIR /src
# The dependencies first, in a layer of their own: it is built again only when the build
# definition changes, not at every change of the sources.
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
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
FROM eclipse-temurin:17-jre@sha256:207ecae0b2b104dfc6dfa763d1e9cd2041cb344800a180e24cb1a28ed533ff90
# What the image is (OCI annotations): VERSION is the pom's (DockerfileTest keeps them equal);
# REVISION and CREATED are given by whoever builds, e.g.
#   --build-arg REVISION=$(git rev-parse HEAD) --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=
ARG CREATED=
LABEL org.opencontainers.image.title="Plateau" \
      org.opencontainers.image.description="Watches TensorBoard logdirs and tells when training has converged, diverged or stalled" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre" \
      org.opencontainers.image.base.digest="sha256:207ecae0b2b104dfc6dfa763d1e9cd2041cb344800a180e24cb1a28ed533ff90"
RUN groupadd --system --gid 10001 plateau \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /state --shell /usr/sbin/nologin plateau \
    && mkdir -p /logs /state && chown 10001:10001 /state && chmod 0700 /state \
    && find / -xdev -perm -0002 ! -type l -exec chmod o-w {} + \
    && writable="$(find / -xdev \( -perm -0002 -o -user 10001 -o -group 10001 \) ! -type l ! -path /state)" \
    && if [ -n "$writable" ]; then echo "writable outside the volumes: $writable"; exit 1; fi
COPY --from=build /src/target/plateau.jar /opt/plateau/plateau.jar
COPY config/plateau.yaml /etc/plateau/plateau.yaml
COPY docker/plateau docker/healthcheck /opt/plateau/bin/
# Class-data sharing: the classes a restart loads, parsed and verified once here by the JVM that
# runs the daemon (with the launcher's options), are mapped at every start instead of loaded
# from the jar: about half a second less on two cores. A JVM that cannot use it ignores it.
# (Java 25's AOT cache starts faster still, but its SerialGC lets the heap grow where 17 collects:
# 339 -> 498 MB resident under the live-scale load; see docs/performance.md.)
COPY tools/class-archive.sh /opt/plateau/class-archive.sh
RUN sh /opt/plateau/class-archive.sh /opt/plateau/plateau.jar /opt/plateau/plateau.jsa -XX:+UseSerialGC -Xss512k -XX:-UsePerfData
USER 10001
VOLUME ["/state"]
EXPOSE 9321
ENV PLATEAU_STATE_DIR=/state
# The status server on every interface of the container (the port is published or not); a Pod's
# env or an --http option changes it.
ENV PLATEAU_HTTP_ADDRESS=0.0.0.0:9321
# File names are decoded with the locale's charset: a UTF-8 locale, whatever the base image sets,
# so that a run named 'exp-é' is read and flagged (under a POSIX locale Java cannot name it).
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8
# The probe starts no JVM (plateau health took 0.8 s and 79 MB resident per probe): bash's own
# /dev/tcp sends GET /healthz to 127.0.0.1:9321 and reads the status line (docker/healthcheck).
# A daemon moved to another port is probed with --health-cmd "/opt/plateau/bin/healthcheck PORT".
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s \
  CMD ["/bin/bash", "/opt/plateau/bin/healthcheck"]
# The launcher holds the JVM's options and why (docker/plateau); the JVM replaces it as PID 1, so
# docker stop's SIGTERM reaches the daemon. The state directory comes from PLATEAU_STATE_DIR.
ENTRYPOINT ["/bin/sh", "/opt/plateau/bin/plateau"]
CMD ["watch", "/logs"]
