#!/usr/bin/env node
// Serves the SPA demo with the URL layout the browser test expects, for local runs or for a
// Playwright test that does not host the hub:
//   /kit/...  -> src/IntegrationHub.Web/wwwroot/kit/  (as the hub serves it)
//   /spa/...  -> tests/kit/spa/
// Sends the hub's Content-Security-Policy so inline script/style creeping into the demo shows up.
//   node tests/kit/serve.mjs [port]      (default 5178; 0 picks a free port; prints the URL)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const roots = {
  "/kit/": join(here, "..", "..", "src", "IntegrationHub.Web", "wwwroot", "kit"),
  "/spa/": join(here, "spa"),
};
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8" };
const csp = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'self'";

export function startServer(port = 5178) {
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (path === "/" || path === "/spa") {
      response.writeHead(302, { Location: "/spa/" }).end();
      return;
    }
    if (path.endsWith("/")) path += "index.html";
    const prefix = Object.keys(roots).find((p) => path.startsWith(p));
    const root = prefix && roots[prefix];
    const file = root && normalize(join(root, path.slice(prefix.length)));
    if (!file || !(file === root || file.startsWith(root + sep)) || !types[extname(file)]) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": types[extname(file)], "Content-Security-Policy": csp, "Cache-Control": "no-store" });
      response.end(body);
    } catch {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await startServer(Number(process.argv[2] ?? 5178));
  console.log(`CrispKit SPA demo: http://127.0.0.1:${server.address().port}/spa/  (ES build: /spa/esm.html)`);
}
