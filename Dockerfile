# syntax=docker/dockerfile:1
# NexusOne server image: a release build with the Swift runtime linked in, on slim Debian, as a non-root user.
#   docker build -t nexusone .
#   docker run -p 8080:8080 -e NEXUSONE_ADMIN_PASSWORD=… nexusone
# scripts/minimal-root.sh runs the same binary in a debootstrapped root with the packages of the last stage.

FROM swift:6.3-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest first, so the package fetch is cached apart from source changes.
COPY Package.swift ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product nexusone \
    && mkdir -p /staging \
    && bin="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
    && strip -o /staging/nexusone "$bin/nexusone" \
    && cp -R "$bin"/*.resources /staging/

FROM debian:bookworm-slim
# libssl3: RS256 tokens are signed through its libcrypto, loaded at run time (docs/decisions/0012-performance.md).
# runtime-packages: libsqlite3-0 libargon2-1 libssl3 ca-certificates curl
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 libargon2-1 libssl3 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 nexusone \
    && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/nexusone --create-home nexusone
COPY --from=build /staging/ /usr/local/lib/nexusone/
ENV NEXUSONE_HOST=0.0.0.0 \
    NEXUSONE_DATA_DIR=/var/lib/nexusone
USER 10001:10001
WORKDIR /var/lib/nexusone
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${NEXUSONE_PORT:-8080}/health/ready" || exit 1
# SIGTERM drains (readiness 503, NEXUSONE_SHUTDOWN_GRACE seconds of serving) and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/lib/nexusone/nexusone"]
CMD ["serve"]
