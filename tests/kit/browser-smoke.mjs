#!/usr/bin/env node
// Optional real-browser smoke run of the SPA demo (not part of run.sh; the Playwright suite owns
// browser tests). Drives headless Chromium over the DevTools protocol with Node's own WebSocket,
// so no packages are needed:
//   node --experimental-websocket tests/kit/browser-smoke.mjs      (Node 20; CHROMIUM=/path overrides)
// Serves /kit + /spa with serve.mjs, opens index.html and esm.html, walks the routes 20 times,
// receives operator and visitor messages, and checks the stand-in Crisp saw one loader, one
// message:received registration and merged session data, with no console errors or CSP violations.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { startServer } from "./serve.mjs";

const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (typeof WebSocket === "undefined") {
  console.error("needs WebSocket: run with node --experimental-websocket (Node 20) or Node 22+");
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "crisp-kit-smoke-"));
  const chrome = spawn(chromiumPath, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank",
  ], { stdio: "ignore" });
  const portFile = join(profile, "DevToolsActivePort");
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await sleep(100);
  const port = readFileSync(portFile, "utf8").split("\n")[0];
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = targets.find((t) => t.type === "page");
  const socket = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  let nextId = 1;
  const pending = new Map();
  const problems = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      message.error ? reject(new Error(message.error.message)) : resolve(message.result);
    } else if (message.method === "Runtime.consoleAPICalled" && ["error", "warning"].includes(message.params.type)) {
      problems.push(message.params.type + ": " + message.params.args.map((a) => a.value ?? a.description).join(" "));
    } else if (message.method === "Runtime.exceptionThrown") {
      problems.push("exception: " + message.params.exceptionDetails.exception?.description);
    } else if (message.method === "Log.entryAdded" && message.params.entry.level === "error") {
      problems.push("log: " + message.params.entry.text + " " + (message.params.entry.url || ""));
    }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ id, method, params }));
  });
  await send("Runtime.enable");
  await send("Log.enable");
  await send("Page.enable");
  const evaluate = async (expression) => {
    const result = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
    if (result.exceptionDetails) throw new Error(expression + ": " + JSON.stringify(result.exceptionDetails));
    return result.result.value;
  };
  const close = async () => {
    socket.close();
    const exited = new Promise((resolve) => chrome.once("exit", resolve));
    chrome.kill();
    await exited;
    try { rmSync(profile, { recursive: true, force: true, maxRetries: 5 }); } catch { /* a temp profile left behind is harmless */ }
  };
  return { send, evaluate, problems, close };
}

async function waitFor(browser, expression) {
  for (let i = 0; i < 100; i++) {
    // While a navigation is under way the old or an empty document may answer: treat errors as "not yet".
    if (await browser.evaluate(expression).catch(() => false)) return;
    await sleep(50);
  }
  throw new Error("timed out waiting for " + expression);
}

async function checkPage(browser, url, build) {
  browser.problems.length = 0;
  await browser.send("Page.navigate", { url });
  await waitFor(browser, "document.documentElement.getAttribute('data-ready') === 'true' && !!window.__crispFake");
  const routes = ["pricing", "account", "home"];
  for (let i = 0; i < 20; i++) {
    const route = routes[i % 3];
    await browser.evaluate(`location.hash = '#/${route}'`);
    await waitFor(browser, `document.body.dataset.route === '${route}' && document.body.dataset.visits === '${i + 2}'`);
  }
  await browser.evaluate("window.__crispFake.receiveMessage({ from: 'user', content: 'visitor says hi' })");
  await browser.evaluate("window.__crispFake.receiveMessage({ from: 'operator', content: 'agent says hello' })");
  await browser.evaluate("document.getElementById('open-chat').click()");
  const state = await browser.evaluate(`({
    fake: window.__crispFake.snapshot(),
    scripts: document.querySelectorAll('script[data-crisp-kit]').length,
    messages: Array.from(document.querySelectorAll('#operator-messages li')).map((li) => li.textContent),
    build: document.getElementById('build').textContent,
    websiteId: window.CRISP_WEBSITE_ID,
  })`);
  assert.equal(state.build, build);
  assert.equal(state.fake.loaderLoads, 1, "one loader per page");
  assert.equal(state.scripts, 1, "one loader element");
  assert.deepEqual(state.fake.handlers, { "message:received": ["[function]"] });
  assert.equal(state.fake.pushes.filter((c) => c[0] === "on").length, 1);
  assert.deepEqual(state.fake.sessionData, { plan: "pro", hub_tenant: "acme", route: routes[19 % 3], visits: 21 });
  assert.deepEqual(state.fake.segments, ["hub-customer"]);
  assert.equal(state.fake.user.email, "ada@example.com");
  assert.match(state.fake.user.signature, /^[0-9a-f]{64}$/);
  assert.equal(state.fake.chat.opened, true);
  assert.deepEqual(state.messages, ["agent says hello"]);
  assert.deepEqual(state.fake.errors, []);
  assert.equal(state.websiteId, "8f9a3c2e-1b4d-4e5f-9a6b-7c8d9e0f1a2b");
  assert.deepEqual(browser.problems, [], "no console errors, warnings or CSP violations");
  console.log(`ok ${build}: 21 route renders, 1 loader, ${state.fake.pushes.length} pushes, session data merged`);
}

const server = await startServer(0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
try {
  await checkPage(browser, `${base}/spa/index.html`, "classic");
  await checkPage(browser, `${base}/spa/esm.html`, "esm");
} finally {
  await browser.close();
  server.close();
}
