// A tiny fake browser page for the kit tests: just the DOM the kit touches (createElement,
// getElementsByTagName, head.appendChild, attributes) on a vm context that plays `window`, so the
// classic build and the stand-in Crisp loader run as they would in a page. No network, no packages.
import vm from "node:vm";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "..", "..", "..");
export const kitDir = join(repoRoot, "src", "IntegrationHub.Web", "wwwroot", "kit");
export const fakeLoaderPath = join(here, "..", "spa", "fake-crisp-loader.js");

class FakeElement {
  constructor(tagName) {
    this.tagName = tagName.toUpperCase();
    this.attributes = new Map();
    this.children = [];
    this.parentNode = null;
    this.async = false;
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  // Like the DOM, `src` reflects the attribute.
  get src() {
    return this.getAttribute("src") || "";
  }
  set src(value) {
    this.setAttribute("src", value);
  }
  appendChild(child) {
    child.parentNode = this;
    this.children.push(child);
    return child;
  }
  removeChild(child) {
    this.children = this.children.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
}

function walk(element, tag, found) {
  for (const child of element.children) {
    if (child.tagName === tag) found.push(child);
    walk(child, tag, found);
  }
  return found;
}

/**
 * @param {{ head?: boolean, seed?: object }} [options]
 */
export function createFakePage(options = {}) {
  const warnings = [];
  const logger = { warn: (message) => warnings.push(String(message)) };
  const documentElement = new FakeElement("html");
  const head = new FakeElement("head");
  const body = new FakeElement("body");
  if (options.head !== false) documentElement.appendChild(head);
  documentElement.appendChild(body);
  const document = {
    documentElement,
    head: options.head !== false ? head : null,
    body,
    createElement: (tag) => new FakeElement(tag),
    getElementsByTagName: (tag) => walk(documentElement, tag.toUpperCase(), []),
  };
  // The vm context is the page's global object; `window` points at itself as in a browser.
  const window = vm.createContext({ console: { warn: logger.warn, error: logger.warn, log() {} } });
  window.window = window;
  window.document = document;
  if (options.seed) window.__crispFakeSeed = options.seed;
  const ran = new Set();

  return {
    window,
    document,
    warnings,
    logger,
    /** All <script> elements on the page. */
    scripts: () => document.getElementsByTagName("script"),
    /** Runs a classic script file in the page. */
    runFile(path) {
      vm.runInContext(readFileSync(path, "utf8"), window, { filename: path });
    },
    /** "The network answers": every injected script not yet run runs as the stand-in Crisp loader. */
    loadInjectedScripts() {
      for (const script of document.getElementsByTagName("script")) {
        if (ran.has(script)) continue;
        ran.add(script);
        vm.runInContext(readFileSync(fakeLoaderPath, "utf8"), window, { filename: fakeLoaderPath });
      }
    },
    /** Adds a script element the page itself wrote (e.g. Crisp's own snippet). */
    addScript(attributes) {
      const script = new FakeElement("script");
      for (const [k, v] of Object.entries(attributes)) script.setAttribute(k, v);
      head.appendChild(script);
      return script;
    },
  };
}

/** Strips realm/prototype differences (vm objects vs test objects) before deep comparison. */
export function plain(value) {
  return JSON.parse(JSON.stringify(value, (k, v) => (typeof v === "function" ? "[function]" : v)));
}
