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

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home --home-dir /state plateau \
    && mkdir -p /logs /state && chown 10001 /state
COPY --from=build /src/target/plateau.jar /opt/plateau/plateau.jar
COPY config/plateau.yaml /etc/plateau/plateau.yaml
USER 10001
VOLUME ["/state"]
EXPOSE 9321
ENV PLATEAU_STATE_DIR=/state
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", "/opt/plateau/plateau.jar", "health", "http://127.0.0.1:9321/healthz"]
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-Xss512k", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/plateau/plateau.jar", "watch", "/logs", "--state-dir", "/state", "--http", "0.0.0.0:9321"]
