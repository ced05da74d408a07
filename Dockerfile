# Builder Insights: one image for every process role (docs/architecture.md "Process roles").
#   serve (default)      the HTTP server; SIGTERM drains and exits 0 (docs/operations/shutdown.md)
#   migrate              apply database migrations (the Kubernetes migration Job)
#   jobs run <name>      one scheduled job (a Kubernetes CronJob; the image sets JOBS=external)
# The base is pinned by tag to the Node version package.json pins (the `node` dependency). Pin the digest too
# when the image is built in CI (node:24.21.0-slim@sha256:…): this repository is checked without a Docker
# engine, so the digest is not resolved here.

# --- build: all dependencies, then the web apps (vite) into dist/web ------------------------------------
FROM node:24.21.0-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json vite.config.ts vite.pwa.ts ./
COPY src ./src
# Shown in the capture app and sent with bug reports (vite.config.ts); CI passes the commit.
ARG BUILD_ID=""
RUN BUILD_ID="$BUILD_ID" npm run build

# --- runtime: production dependencies, the TypeScript sources Node 24 runs directly, the built web apps -----
FROM node:24.21.0-slim AS runtime
ENV NODE_ENV=production \
    JOBS=external \
    HOST=0.0.0.0 \
    PORT=3000 \
    METRICS_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=dev keeps every runtime dependency (including the `node` package, a regular dependency); the cache
# is removed so nothing is left for npm to write at run time.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force && rm -rf /root/.npm /tmp/*
# The server, the CLI, the shared API contract and the migrations (src/server/db/migrations).
COPY src/server ./src/server
COPY src/cli ./src/cli
COPY src/contract ./src/contract
# The deployment as code: the audience packages and readiness gates describe the running service from it
# (overlays, probes, SLOs, alert names, dashboards).
COPY deploy/k8s ./deploy/k8s
COPY deploy/observability ./deploy/observability
COPY --from=build /app/dist/web ./dist/web
# Files stay owned by root and read-only for the app. It writes nothing to the image: the database is
# PostgreSQL (DATABASE_URL), secrets come from the environment, and AUDIT_ARCHIVE_DIR, when the archive job
# runs, is a mounted volume. So readOnlyRootFilesystem: true works.
USER 10001:10001
EXPOSE 3000 9464
ENTRYPOINT ["node", "src/cli/bi.ts"]
CMD ["serve"]
