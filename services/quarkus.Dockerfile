# syntax=docker/dockerfile:1.7
# The image of each Quarkus service (api, worker, ranker; JVM mode), from one file. Build from the
# repository root, naming the service and its port:
#   docker build -f services/quarkus.Dockerfile --build-arg SERVICE=worker --build-arg PORT=8081 \
#     --build-arg GIT_SHA=$(git rev-parse HEAD) -t rankops-worker:<git-sha> .
# (api 8080, worker 8081, ranker 8082). Configuration comes from RANKOPS_* environment variables at
# run time (docs/deploy.md).

ARG SERVICE
ARG JDK_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.16_8-jre-noble
ARG NODE_IMAGE=node:22.21.1-bookworm-slim

# The API serves the web UI: Vite writes it into the API's static resources
# (services/api/src/main/resources/META-INF/resources), which Quarkus serves at /.
FROM ${NODE_IMAGE} AS web
WORKDIR /src/web-ui
COPY web-ui/package.json web-ui/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY web-ui/ ./
RUN npm run build \
 && mkdir -p /out/services/api/src/main/resources/META-INF \
 && cp -r /src/services/api/src/main/resources/META-INF/resources /out/services/api/src/main/resources/META-INF/

# What each service adds to the sources: the web UI for the API, nothing for the others. BuildKit
# builds only the stage the chosen service needs, so worker and ranker never run npm.
FROM web AS extras-api
FROM ${JDK_IMAGE} AS extras-none
RUN mkdir -p /out
FROM extras-none AS extras-worker
FROM extras-none AS extras-ranker
FROM extras-${SERVICE} AS extras

FROM ${JDK_IMAGE} AS build
ARG SERVICE
WORKDIR /src
# Every module's POM first: the reactor reads all modules the parent lists, even with -pl.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY platform/pom.xml platform/
COPY workflows/pom.xml workflows/
COPY services/api/pom.xml services/api/
COPY services/worker/pom.xml services/worker/
COPY services/ranker/pom.xml services/ranker/
COPY platform/src/ platform/src/
COPY workflows/src/ workflows/src/
COPY services/${SERVICE}/src/ services/${SERVICE}/src/
COPY --from=extras /out/ ./
# The cache mount keeps ~/.m2 between builds without baking the repository into a layer.
# Tests need the running stack (PostgreSQL, Temporal, MinIO); CI runs them with ./rankops test.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl services/${SERVICE} -am package -DskipTests

FROM ${JRE_IMAGE}
ARG SERVICE
ARG PORT
ARG GIT_SHA=unknown
LABEL org.opencontainers.image.source="rankops" org.opencontainers.image.revision="${GIT_SHA}"
# curl only for the HEALTHCHECK below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 rankops \
 && useradd --system --uid 10001 --gid rankops --home-dir /deployments --shell /usr/sbin/nologin rankops
WORKDIR /deployments
# Quarkus' fast-jar layout, least to most frequently changing, so a code change rebuilds one
# small layer (the layering Quarkus' generated Dockerfile.jvm uses).
COPY --from=build --chown=10001:10001 /src/services/${SERVICE}/target/quarkus-app/lib/ /deployments/lib/
COPY --from=build --chown=10001:10001 /src/services/${SERVICE}/target/quarkus-app/*.jar /deployments/
COPY --from=build --chown=10001:10001 /src/services/${SERVICE}/target/quarkus-app/app/ /deployments/app/
COPY --from=build --chown=10001:10001 /src/services/${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/
# application.properties binds 127.0.0.1 (the no-Docker local stack); in a container the
# port must be reachable from outside. QUARKUS_HTTP_PORT wins over the service's own
# RANKOPS_<SERVICE>_PORT; the prod profile takes everything else from RANKOPS_* env.
ENV QUARKUS_PROFILE=prod \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=${PORT} \
    RANKOPS_GIT_SHA=${GIT_SHA} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${QUARKUS_HTTP_PORT}/q/health/ready" > /dev/null || exit 1
ENTRYPOINT ["java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar", "/deployments/quarkus-run.jar"]
