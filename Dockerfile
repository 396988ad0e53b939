# Hatch for production: built once in one stage, run from the build with production dependencies
# only, as a non-root user. The embedded database lives in /data (a volume); with DATABASE_URL set
# (see docker-compose.yaml) it is not used. CI runs these same steps without Docker
# (server/build/dockerfile-check.mjs), since no Docker engine runs there.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 HATCH_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The operator and token commands in a container: node dist/server/cli/admin.js operator:create --email …
CMD ["node", "--max-semi-space-size=4", "dist/server/main.js"]
