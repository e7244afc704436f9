#!/usr/bin/env node
// Generates the served kit files from the one source, crisp-kit.mjs (no bundler, no dependencies).
//
//   node src/IntegrationHub.Kit/build.mjs           write the files
//   node src/IntegrationHub.Kit/build.mjs --check   exit 1 if the committed files differ from what the source gives
//
// Output in src/IntegrationHub.Web/wwwroot/kit/ (served by the hub's static files at /kit/...):
//   crisp-kit.mjs, crisp-kit.js                     latest (short cache; what docs point to)
//   <version>/crisp-kit.mjs, <version>/crisp-kit.js immutable copies for customers who pin a version
// A version folder once published is never rewritten with other content: bump `version` in the source.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..");
const sourcePath = join(here, "crisp-kit.mjs");
const outDir = join(repoRoot, "src", "IntegrationHub.Web", "wwwroot", "kit");

export function buildOutputs(source) {
  const versionMatch = /^const version = "(\d+\.\d+\.\d+)";$/m.exec(source);
  if (!versionMatch) throw new Error("crisp-kit.mjs: no `const version = \"x.y.z\";` line");
  const version = versionMatch[1];

  const begin = source.indexOf("// @@exports-begin");
  const end = source.indexOf("// @@exports-end");
  if (begin < 0 || end < begin) throw new Error("crisp-kit.mjs: export markers missing");
  const body = source.slice(0, begin);
  // The classic build is the same text minus the export block; any other import/export would break it.
  if (/^\s*(import|export)\b/m.test(body)) throw new Error("crisp-kit.mjs: import/export outside the export block");

  const banner = `/*! CrispKit ${version} | IntegrationHub | generated from src/IntegrationHub.Kit/crisp-kit.mjs by build.mjs: do not edit */\n`;
  const esm = banner + source;
  const classic =
    banner +
    "(function () {\n" +
    "\"use strict\";\n" +
    body.trimEnd() +
    "\n\n" +
    "// Classic build: the only global it adds is window.CrispKit. If the page includes this file\n" +
    "// twice, the first copy stays (callers may hold references to it); page state is shared anyway.\n" +
    "if (typeof window !== \"undefined\" && !(window.CrispKit && window.CrispKit.version)) {\n" +
    "  window.CrispKit = CrispKit;\n" +
    "}\n" +
    "})();\n";

  return {
    version,
    files: {
      "crisp-kit.mjs": esm,
      "crisp-kit.js": classic,
      [`${version}/crisp-kit.mjs`]: esm,
      [`${version}/crisp-kit.js`]: classic,
    },
  };
}

function main() {
  const check = process.argv.includes("--check");
  const { version, files } = buildOutputs(readFileSync(sourcePath, "utf8"));
  const stale = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(outDir, name);
    const current = existsSync(path) ? readFileSync(path, "utf8") : null;
    if (current === content) continue;
    if (check) {
      stale.push(relative(repoRoot, path));
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log("wrote " + relative(repoRoot, path));
  }
  if (check && stale.length) {
    console.error("kit build output is stale (run node src/IntegrationHub.Kit/build.mjs): " + stale.join(", "));
    process.exit(1);
  }
  if (!check) console.log(`CrispKit ${version}: build output up to date.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
