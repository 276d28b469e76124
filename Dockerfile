# vtracer-ts service image: the two packages built from this repository, installed as a user installs them.
#   docker build -t vtracer .
#   docker run -p 3000:3000 -v vtracer-data:/data vtracer
# docs/deploy.md explains each choice; test/deploy/deploy.test.ts runs this file's command line and
# environment outside a container.

# 1. Build and pack both packages (the build needs the dev dependencies: TypeScript, esbuild).
FROM node:22-bookworm AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund \
 && mkdir /pkgs \
 && npm pack --ignore-scripts --pack-destination /pkgs \
 && cd packages/server && npm pack --ignore-scripts --pack-destination /pkgs

# 2. Install them with their production dependencies only (better-sqlite3 gets its prebuilt binary, or
#    compiles with this image's toolchain).
FROM node:22-bookworm AS install
WORKDIR /app
COPY --from=build /pkgs /pkgs
RUN echo '{"name":"vtracer-app","private":true}' > package.json \
 && npm install --omit=dev --no-audit --no-fund /pkgs/vtracer-ts-*.tgz /pkgs/vtracer-ts-server-*.tgz

# 3. Run: slim image, non-root user, node itself as PID 1 (the service handles SIGTERM: it stops accepting,
#    lets running jobs finish for VTRACER_GRACE seconds, requeues the rest, and exits).
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    VTRACER_DATA=/data
WORKDIR /app
COPY --from=install /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "node_modules/vtracer-ts/bin/vtracer.js", "serve"]
