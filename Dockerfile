# syntax=docker/dockerfile:1

# Build stage: full dependencies, compile TypeScript to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `prepare` would build before the sources are here; build explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY workers ./workers
COPY bench ./bench
RUN npm run build

# Runtime stage: production dependencies and the compiled output only.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    EXPORT_DIR=/data/exports \
    HTTP_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs `tsc`, a dev dependency; dist/ comes from
# the build stage instead.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Export files are personal data: a volume owned by the unprivileged user.
RUN mkdir -p /data/exports && chown node:node /data/exports && chmod 0700 /data/exports
USER node
VOLUME ["/data/exports"]
EXPOSE 8080
ENTRYPOINT ["node", "bin/stream-gdpr.js"]
CMD ["start"]
