// ESM loader hooks for tests/helpers/module-probe.ts: posts every URL resolved to the port given at registration.
let port;
export function initialize(data) {
  port = data.port;
}
export async function resolve(specifier, context, nextResolve) {
  const r = await nextResolve(specifier, context);
  port.postMessage(r.url);
  return r;
}
