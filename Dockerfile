# Plateau as a container (sidecar). Build: docker build -t plateau .
# The deployment issue will add the health check on /healthz and a test of this entrypoint; until
# then this image runs `plateau watch /logs` with its state in /state.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY proto proto
COPY config config
COPY src/main src/main
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /state plateau \
    && mkdir -p /logs /state && chown plateau /state
COPY --from=build /src/target/plateau.jar /opt/plateau/plateau.jar
COPY config/plateau.yaml /etc/plateau/plateau.yaml
USER 10001
VOLUME ["/state"]
ENV PLATEAU_STATE_DIR=/state
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/plateau/plateau.jar", "watch", "/logs", "--state-dir", "/state"]
