# The mock as a container: docker build -t ghl-mock . && docker run -p 4010:4010 ghl-mock
FROM node:20-slim AS build
WORKDIR /kit
COPY . .
# npm ci runs `prepare`, which builds dist/; then only runtime dependencies stay.
RUN npm ci && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production PORT=4010
WORKDIR /kit
COPY --from=build --chown=node:node /kit/package.json ./
COPY --from=build --chown=node:node /kit/node_modules node_modules
COPY --from=build --chown=node:node /kit/dist dist
COPY --from=build --chown=node:node /kit/bin bin
COPY --from=build --chown=node:node /kit/openapi openapi
COPY --from=build --chown=node:node /kit/scenarios scenarios
COPY --from=build --chown=node:node /kit/contracts/drift-allow.yaml contracts/
USER node
EXPOSE 4010
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/__mock/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Inside a container the mock must listen on all interfaces; publish the port to localhost only (-p 127.0.0.1:4010:4010).
ENTRYPOINT ["node", "bin/ghl-mock.js"]
CMD ["start", "--host", "0.0.0.0"]
