# syntax=docker/dockerfile:1
# The modelaudit CLI with every first-party plugin (the `modelaudit` package), built from this workspace.
#   docker build -t modelaudit .
#   docker run --rm -v "$PWD:/scan" modelaudit scan .
# The scanner never loads or runs what it scans; the image runs as the unprivileged `node` user.

FROM node:20-slim AS build
# better-sqlite3 (the `serve` command's store) compiles when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.9
WORKDIR /src
COPY . .
ENV TURBO_TELEMETRY_DISABLED=1
RUN pnpm install --frozen-lockfile \
  && pnpm turbo run build --filter=modelaudit... \
  && pnpm --filter modelaudit deploy --prod --legacy /app

FROM node:20-slim
ENV NODE_ENV=production
COPY --from=build /app /opt/modelaudit
RUN ln -s /opt/modelaudit/bin/modelaudit.js /usr/local/bin/modelaudit
USER node
WORKDIR /scan
ENTRYPOINT ["modelaudit"]
CMD ["--help"]
