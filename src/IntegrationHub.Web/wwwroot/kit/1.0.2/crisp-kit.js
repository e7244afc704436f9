/*! CrispKit 1.0.2 | IntegrationHub | generated from src/IntegrationHub.Kit/crisp-kit.mjs by build.mjs: do not edit */
(function () {
"use strict";
/**
 * CrispKit: the IntegrationHub helper for installing Crisp's chatbox on a customer frontend
 * (single-page apps included) without undoing what the hub does.
 *
 * This file is the ONE source of truth. build.mjs (next to it) copies it into
 * src/IntegrationHub.Web/wwwroot/kit/ as the ES module build (crisp-kit.mjs) and wraps it
 * in an IIFE as the classic-script build (crisp-kit.js, sets window.CrispKit). Because of
 * that wrapping, this file must:
 *   - have no imports, and its only exports must be the block between the export markers at the end;
 *   - stay ES2019 (no ?., ??, class fields) so the classic build runs in conservative browsers.
 *
 * Guarantees:
 *   - Crisp's loader is injected at most once per page lifetime, whatever the router does and
 *     however many copies of the kit the page runs (marker attribute + state on the document).
 *   - window.$crisp is never replaced; every command goes to the CURRENT window.$crisp (never a
 *     cached reference), so commands made before the loader is ready stay in Crisp's queue in order,
 *     and commands made after Crisp swapped the queue for its real object go straight to it.
 *   - session:data is only ever merged (only the keys you name are pushed).
 *   - Bad input is refused with a console warning and nothing is pushed; the kit never throws
 *     into the host page.
 */

/** @type {string} */
const version = "1.0.2";

const DEFAULT_LOADER_URL = "https://client.crisp.chat/l.js";

/** Attribute on the injected loader <script>; its value is the kit version. */
const MARKER_ATTRIBUTE = "data-crisp-kit";
/** Attribute on the injected loader <script>; its value is the website ID it was loaded for. */
const WEBSITE_ATTRIBUTE = "data-crisp-website-id";

/**
 * Page-wide state shared by every copy of the kit on the page (ES build, classic build, two
 * micro-frontends...). It is kept on the document object under a registry symbol, so it lives
 * exactly as long as the page and adds no global name. The major version is in the key: copies
 * of one major version agree on the shape.
 */
const SHARED_STATE_KEY = Symbol.for("integrationhub.crisp-kit.v1");

/** Colors Crisp accepts for session events (Crisp's SDK default is blue). */
const EVENT_COLORS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black"];

/**
 * Crisp website IDs are UUIDs; anything else is a configuration mistake worth catching early. Crisp writes them in
 * lower case, and an ID copied in upper case is written so (the chatbox is looked up by the ID as written).
 */
const WEBSITE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A deliberately plain shape check (local@domain.tld, no spaces or mail-header punctuation). */
const EMAIL_PATTERN = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\.]+(\.[^\s@<>()[\],;:"\\.]+)+$/;
const EMAIL_MAX_LENGTH = 254;
// Invisible characters (Unicode format characters: zero-width spaces and joiners, word joiners, byte order marks,
// bidi marks) and look-alikes of '@': the hub's API refuses them too, since kept they make two contacts of one person.
const EMAIL_INVISIBLE_OR_LOOKALIKE = /[\p{Cf}\uFF20\uFE6B]/u;

/** Identity verification signature: HMAC-SHA256(email, secret) as hex, computed by the customer's backend. */
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/i;

/**
 * session:data keys: Crisp asks for lowercase keys with no special characters except "_" and "-".
 * Dots are refused too (they are not in that set, and Crisp's data APIs treat dotted names as paths).
 */
const DATA_KEY_PATTERN = /^[a-z0-9_-]+$/;
const DATA_KEY_MAX_LENGTH = 64;

const NICKNAME_MAX_LENGTH = 256;
const SEGMENT_MAX_LENGTH = 64;
const EVENT_TEXT_MAX_LENGTH = 256;

/**
 * The hub's API refuses the same (CrispDataRules): string values of at most 2000 characters, at most 100 keys per
 * request, at most 50 segments. A browser is no reason to let through what the backend path refuses.
 */
const DATA_VALUE_MAX_LENGTH = 2000;
const DATA_KEYS_PER_PUSH = 100;
const SEGMENTS_MAX_COUNT = 50;

/** Control characters (tab aside), as .NET's char.IsControl: never meant in text, and the hub refuses them too. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/;

function isPlainObject(value) {
  if (value === null || typeof value !== "object" || Object.prototype.toString.call(value) !== "[object Object]") {
    return false;
  }
  // Cross-realm safe (iframes, vm contexts): a plain object's prototype is some realm's Object.prototype or null.
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Values Crisp stores in session:data (and event data): strings, finite numbers, booleans. */
function isDataValue(value) {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && isFinite(value));
}

function isDataKey(key) {
  return key.length <= DATA_KEY_MAX_LENGTH && DATA_KEY_PATTERN.test(key);
}

function hasControlCharacters(value) {
  return typeof value === "string" && CONTROL_CHARACTERS.test(value);
}

/** Why a session/event data value is refused, or null when Crisp takes it. */
function dataValueProblem(value) {
  if (!isDataValue(value)) return describe(value) + " (Crisp takes strings, finite numbers and booleans)";
  if (typeof value === "string" && value.length > DATA_VALUE_MAX_LENGTH) {
    return "a string of " + value.length + " characters (at most " + DATA_VALUE_MAX_LENGTH + ")";
  }
  if (hasControlCharacters(value)) return "a string with control characters";
  return null;
}

function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  return typeof value === "object" ? "an object" : "a " + typeof value;
}

function isBlankString(value) {
  return typeof value !== "string" || value.trim() === "";
}

function isAbsent(value) {
  // null counts as absent: backends commonly serialise "no signature" as null.
  return value === undefined || value === null;
}

/**
 * @typedef {Object} CrispKitOptions
 * @property {Window} [window]   Window to drive (default: the global window).
 * @property {Document} [document] Document to inject into (default: window.document).
 * @property {{warn: function(...*): void}} [logger] Where warnings go (default: console).
 */

/**
 * @typedef {Object} InitOptions
 * @property {string} websiteId  Crisp website ID (UUID).
 * @property {string} [loaderUrl] Loader script URL (default https://client.crisp.chat/l.js).
 * @property {Window} [window]
 * @property {Document} [document]
 */

/**
 * @typedef {Object} Identity
 * @property {string} [email]     Visitor email.
 * @property {string} [signature] Identity verification HMAC of the email (hex), from your backend. Never compute it in the browser.
 * @property {string} [nickname]  Visitor display name.
 */

/**
 * @typedef {Object} OperatorMessage
 * @property {string} from     "operator" for messages the kit forwards.
 * @property {string} [type]   e.g. "text".
 * @property {*} [content]
 */

/**
 * @typedef {Object} CrispKitApi
 * @property {string} version
 * @property {function(InitOptions): boolean} init
 * @property {function(Identity): boolean} identify
 * @property {function(Object<string, (string|number|boolean)>): boolean} mergeContext
 * @property {function(string[], {overwrite?: boolean}=): boolean} segments
 * @property {function(string, Object<string, (string|number|boolean)>=, string=): boolean} event
 * @property {function(): boolean} open
 * @property {function(): boolean} close
 * @property {function(): boolean} show
 * @property {function(): boolean} hide
 * @property {function(function(OperatorMessage): void): function(): boolean} onOperatorMessage
 * @property {function(CrispKitOptions=): CrispKitApi} createCrispKit
 */

/**
 * Creates a kit bound to a window/document (the default export `CrispKit` is one bound to the
 * global window). Instances are cheap and coordinate through the page: two instances on one page
 * share one loader and one message:received registration.
 *
 * @param {CrispKitOptions} [options]
 * @returns {CrispKitApi}
 */
function createCrispKit(options) {
  const settings = isPlainObject(options) ? options : {};
  let boundWindow = settings.window || null;
  let boundDocument = settings.document || null;
  const logger = settings.logger || (typeof console !== "undefined" ? console : null);
  // Used only when there is no document to keep page-wide state on (e.g. a bare window in tests).
  let localState = null;

  function warn(message) {
    if (logger && typeof logger.warn === "function") {
      logger.warn("[CrispKit] " + message);
    }
  }

  function getWindow() {
    if (boundWindow) return boundWindow;
    return typeof window !== "undefined" ? window : null;
  }

  function getDocument() {
    if (boundDocument) return boundDocument;
    const win = getWindow();
    return win && win.document ? win.document : null;
  }

  function sharedState() {
    const host = getDocument();
    if (host && host[SHARED_STATE_KEY]) return host[SHARED_STATE_KEY];
    const state = { websiteId: null, loaderUrl: null, callbacks: [], listening: false, dispatcher: null };
    // One dispatcher per page: Crisp's "off" removes every handler of an event, so the kit keeps
    // its own callback list behind a single registration instead of one registration per callback.
    state.dispatcher = function (message) {
      if (!message || message.from !== "operator") return;
      state.callbacks.slice().forEach(function (callback) {
        try {
          callback(message);
        } catch (error) {
          warn("an onOperatorMessage callback threw: " + (error && error.message ? error.message : String(error)));
        }
      });
    };
    if (!host) {
      if (!localState) localState = state;
      return localState;
    }
    try {
      Object.defineProperty(host, SHARED_STATE_KEY, { value: state, configurable: true, enumerable: false, writable: false });
    } catch (error) {
      host[SHARED_STATE_KEY] = state;
    }
    return state;
  }

  /** Sends one command to whatever window.$crisp is NOW (array queue before load, Crisp's object after). */
  function send(command) {
    const win = getWindow();
    if (!win) {
      warn("no window: " + command[0] + " " + command[1] + " was not sent.");
      return false;
    }
    if (win.$crisp === undefined || win.$crisp === null) {
      // Crisp's documented bootstrap: an array it drains in order when the loader runs.
      win.$crisp = [];
    }
    const queue = win.$crisp;
    if (typeof queue.push !== "function") {
      warn("window.$crisp is not a Crisp queue (no push); " + command[0] + " " + command[1] + " was not sent.");
      return false;
    }
    try {
      queue.push(command);
      return true;
    } catch (error) {
      warn("$crisp.push failed for " + command[0] + " " + command[1] + ": " + (error && error.message ? error.message : String(error)));
      return false;
    }
  }

  function findScripts(doc) {
    return typeof doc.getElementsByTagName === "function" ? Array.prototype.slice.call(doc.getElementsByTagName("script")) : [];
  }

  /**
   * What loaded Crisp on this page already, if anything: a kit (state or marker element) or the
   * page itself (Crisp's snippet, or Crisp's runtime object already in place).
   * @returns {{websiteId: (string|null), by: string}|null}
   */
  function existingLoader(win, doc, state, loaderUrl) {
    if (state.websiteId) return { websiteId: state.websiteId, by: "kit" };
    const scripts = findScripts(doc);
    for (let i = 0; i < scripts.length; i++) {
      if (scripts[i].getAttribute(MARKER_ATTRIBUTE) !== null) {
        return { websiteId: scripts[i].getAttribute(WEBSITE_ATTRIBUTE) || null, by: "kit" };
      }
    }
    const globalId = typeof win.CRISP_WEBSITE_ID === "string" && win.CRISP_WEBSITE_ID ? win.CRISP_WEBSITE_ID : null;
    for (let i = 0; i < scripts.length; i++) {
      const src = scripts[i].getAttribute("src") || "";
      if (src === loaderUrl || src.indexOf("client.crisp.chat/l.js") !== -1) {
        return { websiteId: globalId, by: "page" };
      }
    }
    const queue = win.$crisp;
    if (queue && !Array.isArray(queue) && typeof queue.is === "function") {
      return { websiteId: globalId, by: "page" };
    }
    return null;
  }

  /**
   * Loads Crisp's loader once per page. Safe to call on every route change: after the first call
   * it is a no-op for the same websiteId, and refuses (warning, no second loader) a different one.
   *
   * @param {InitOptions} options
   * @returns {boolean} true when Crisp is (being) loaded for this websiteId; false when refused.
   */
  function init(options) {
    if (!isPlainObject(options)) {
      warn("init expects an options object like { websiteId: \"<uuid>\" }.");
      return false;
    }
    if (typeof options.websiteId !== "string" || !WEBSITE_ID_PATTERN.test(options.websiteId.trim())) {
      warn("init: websiteId must be your Crisp website ID (a UUID); got " + describe(options.websiteId) + ".");
      return false;
    }
    const websiteId = options.websiteId.trim().toLowerCase();
    const loaderUrl = options.loaderUrl === undefined ? DEFAULT_LOADER_URL : options.loaderUrl;
    if (isBlankString(loaderUrl) || /^\s*(javascript|data):/i.test(loaderUrl)) {
      warn("init: loaderUrl must be a script URL.");
      return false;
    }
    if (options.window) boundWindow = options.window;
    if (options.document) boundDocument = options.document;
    const win = getWindow();
    const doc = getDocument();
    if (!win || !doc || typeof doc.createElement !== "function") {
      warn("init needs a window and a document; Crisp was not loaded.");
      return false;
    }

    const state = sharedState();
    const existing = existingLoader(win, doc, state, loaderUrl);
    if (existing) {
      if (existing.websiteId && existing.websiteId.toLowerCase() !== websiteId.toLowerCase()) {
        warn("init: Crisp is already loaded on this page for website " + existing.websiteId +
          "; refusing to load website " + websiteId + " too (one chatbox per page; reload the page to switch).");
        return false;
      }
      if (!existing.websiteId) {
        warn("init: a Crisp loader is already on this page but CRISP_WEBSITE_ID is not set; not loading another.");
        return false;
      }
      if (existing.by === "kit" && state.loaderUrl && state.loaderUrl !== loaderUrl) {
        warn("init: the loader was already injected from " + state.loaderUrl + "; ignoring loaderUrl " + loaderUrl + ".");
      }
      state.websiteId = existing.websiteId;
      return true;
    }

    if (typeof win.CRISP_WEBSITE_ID === "string" && win.CRISP_WEBSITE_ID && win.CRISP_WEBSITE_ID.toLowerCase() !== websiteId) {
      warn("init: replacing CRISP_WEBSITE_ID " + win.CRISP_WEBSITE_ID + " (no loader was on the page) with " + websiteId + ".");
    }
    win.CRISP_WEBSITE_ID = websiteId;
    if (win.$crisp === undefined || win.$crisp === null) {
      win.$crisp = [];
    } else if (typeof win.$crisp.push !== "function") {
      warn("init: window.$crisp exists but is not a queue; Crisp may ignore it.");
    }

    const script = doc.createElement("script");
    script.async = true;
    script.setAttribute(MARKER_ATTRIBUTE, version);
    script.setAttribute(WEBSITE_ATTRIBUTE, websiteId);
    script.src = loaderUrl;
    const parent = doc.head || (typeof doc.getElementsByTagName === "function" && doc.getElementsByTagName("head")[0]) || doc.documentElement || doc.body;
    if (!parent) {
      warn("init: the document has no head/body to add the loader to.");
      return false;
    }
    parent.appendChild(script);
    state.websiteId = websiteId;
    state.loaderUrl = loaderUrl;
    return true;
  }

  /**
   * Sets who the visitor is. With a signature (identity verification) Crisp marks the email as
   * verified; without one it is shown as unverified. Atomic: any invalid field means nothing is pushed.
   *
   * @param {Identity} identity
   * @returns {boolean} true when pushed.
   */
  function identify(identity) {
    if (!isPlainObject(identity)) {
      warn("identify expects { email, nickname, signature }.");
      return false;
    }
    const email = identity.email;
    const nickname = identity.nickname;
    const signature = identity.signature;
    if (isAbsent(email) && isAbsent(nickname)) {
      warn("identify: give an email and/or a nickname.");
      return false;
    }
    if (!isAbsent(email) && (typeof email !== "string" || email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email) || hasControlCharacters(email) || EMAIL_INVISIBLE_OR_LOOKALIKE.test(email))) {
      warn("identify: \"" + String(email) + "\" is not an email address; nothing was sent.");
      return false;
    }
    if (!isAbsent(signature)) {
      if (isAbsent(email)) {
        warn("identify: a signature needs the email it signs; nothing was sent.");
        return false;
      }
      if (typeof signature !== "string" || !SIGNATURE_PATTERN.test(signature)) {
        warn("identify: signature must be the hex HMAC-SHA256 of the email from your backend; nothing was sent.");
        return false;
      }
    }
    if (!isAbsent(nickname) && (isBlankString(nickname) || nickname.length > NICKNAME_MAX_LENGTH || hasControlCharacters(nickname))) {
      warn("identify: nickname must be a non-empty string of at most " + NICKNAME_MAX_LENGTH + " characters, without control characters; nothing was sent.");
      return false;
    }
    let sent = false;
    if (!isAbsent(email)) {
      sent = send(["set", "user:email", isAbsent(signature) ? [email] : [email, signature]]);
    }
    if (!isAbsent(nickname)) {
      sent = send(["set", "user:nickname", [nickname]]) || sent;
    }
    return sent;
  }

  /**
   * Merges the given keys into the session's custom data. Keys not named here are left alone
   * (whatever agents, the hub or earlier pages set stays). Each invalid key or value is refused with
   * a warning; the valid ones are still sent. An empty string value clears that key in Crisp.
   *
   * @param {Object<string, (string|number|boolean)>} data
   * @returns {boolean} true when at least one key was pushed.
   */
  function mergeContext(data) {
    if (!isPlainObject(data)) {
      warn("mergeContext expects a plain object of key/value pairs; got " + describe(data) + ".");
      return false;
    }
    const pairs = [];
    Object.keys(data).forEach(function (key) {
      const value = data[key];
      if (!isDataKey(key)) {
        warn("mergeContext: key \"" + key + "\" refused (use lowercase a-z, 0-9, \"_\" or \"-\", at most " + DATA_KEY_MAX_LENGTH + " characters).");
        return;
      }
      const problem = dataValueProblem(value);
      if (problem) {
        warn("mergeContext: value of \"" + key + "\" refused: " + problem + ".");
        return;
      }
      pairs.push([key, value]);
    });
    if (pairs.length === 0) {
      if (Object.keys(data).length === 0) warn("mergeContext: nothing to merge.");
      return false;
    }
    // Keys are independent, so a long list goes in several pushes of at most 100 keys rather than being refused.
    let sent = false;
    for (let i = 0; i < pairs.length; i += DATA_KEYS_PER_PUSH) {
      sent = send(["set", "session:data", [pairs.slice(i, i + DATA_KEYS_PER_PUSH)]]) || sent;
    }
    return sent;
  }

  /**
   * Adds segments to the session (or, with overwrite: true, replaces all of them, including
   * segments agents or the hub set; an empty list with overwrite: true clears them). Each segment is
   * trimmed and sent once, as the hub's API does. Atomic: one invalid segment means nothing is pushed.
   *
   * @param {string[]} list
   * @param {{overwrite?: boolean}} [options]
   * @returns {boolean}
   */
  function segments(list, options) {
    if (!Array.isArray(list) || list.length > SEGMENTS_MAX_COUNT) {
      warn("segments expects an array of at most " + SEGMENTS_MAX_COUNT + " strings.");
      return false;
    }
    let overwrite = false;
    if (options !== undefined && options !== null) {
      if (!isPlainObject(options) || (options.overwrite !== undefined && typeof options.overwrite !== "boolean")) {
        warn("segments: options must be { overwrite: boolean }; nothing was sent.");
        return false;
      }
      overwrite = options.overwrite === true;
    }
    if (list.length === 0 && !overwrite) {
      warn("segments: nothing to add (to clear every segment, pass [] with { overwrite: true }).");
      return false;
    }
    const unique = [];
    for (let i = 0; i < list.length; i++) {
      const segment = isBlankString(list[i]) ? "" : list[i].trim();
      if (segment === "" || segment.length > SEGMENT_MAX_LENGTH || hasControlCharacters(segment)) {
        warn("segments: entry " + i + " must be a non-empty string of at most " + SEGMENT_MAX_LENGTH + " characters, without control characters; nothing was sent.");
        return false;
      }
      // " vip" and "vip" are one segment to Crisp's agents; sent twice, it would also be listed twice.
      if (unique.indexOf(segment) === -1) unique.push(segment);
    }
    return send(["set", "session:segments", [unique, overwrite]]);
  }

  /**
   * Records an event on the session's timeline.
   *
   * @param {string} text
   * @param {Object<string, (string|number|boolean)>} [data] flat key/value details (default {}).
   * @param {string} [color] one of red orange yellow green blue purple pink brown grey black (default blue).
   * @returns {boolean}
   */
  function event(text, data, color) {
    if (isBlankString(text) || text.length > EVENT_TEXT_MAX_LENGTH || hasControlCharacters(text)) {
      warn("event: text must be a non-empty string of at most " + EVENT_TEXT_MAX_LENGTH + " characters, without control characters.");
      return false;
    }
    const details = {};
    if (!isAbsent(data)) {
      if (!isPlainObject(data)) {
        warn("event: data must be a flat object; got " + describe(data) + "; nothing was sent.");
        return false;
      }
      const keys = Object.keys(data);
      if (keys.length > DATA_KEYS_PER_PUSH) {
        warn("event: data has " + keys.length + " keys (at most " + DATA_KEYS_PER_PUSH + "); nothing was sent.");
        return false;
      }
      for (let i = 0; i < keys.length; i++) {
        if (!isDataKey(keys[i])) {
          warn("event: data key \"" + keys[i] + "\" refused (use lowercase a-z, 0-9, \"_\" or \"-\", at most " + DATA_KEY_MAX_LENGTH + " characters); nothing was sent.");
          return false;
        }
        const problem = dataValueProblem(data[keys[i]]);
        if (problem) {
          warn("event: data \"" + keys[i] + "\" is " + problem + "; nothing was sent.");
          return false;
        }
        details[keys[i]] = data[keys[i]];
      }
    }
    const chosen = isAbsent(color) ? "blue" : color;
    if (EVENT_COLORS.indexOf(chosen) === -1) {
      warn("event: color must be one of " + EVENT_COLORS.join(", ") + "; nothing was sent.");
      return false;
    }
    return send(["set", "session:event", [[[text, details, chosen]]]]);
  }

  /** Opens the chatbox. @returns {boolean} */
  function open() {
    return send(["do", "chat:open"]);
  }

  /** Closes the chatbox (it stays visible as a button). @returns {boolean} */
  function close() {
    return send(["do", "chat:close"]);
  }

  /** Shows the chatbox after hide(). @returns {boolean} */
  function show() {
    return send(["do", "chat:show"]);
  }

  /** Hides the whole chatbox (button included). @returns {boolean} */
  function hide() {
    return send(["do", "chat:hide"]);
  }

  /**
   * Calls `callback(message)` for each message an operator sends (message.from === "operator").
   * Safe to call on every route change: a callback already registered is not registered again, and
   * the page holds a single Crisp "message:received" registration whatever the number of callbacks.
   * Pass the same function reference each time (not a new arrow function per render).
   *
   * The returned function unsubscribes this callback; when the last kit callback goes, the kit
   * pushes ["off", "message:received"]. Note Crisp's "off" drops every message:received handler,
   * including ones the page registered on $crisp directly.
   *
   * @param {function(OperatorMessage): void} callback
   * @returns {function(): boolean} unsubscribe (true when it removed the callback).
   */
  function onOperatorMessage(callback) {
    if (typeof callback !== "function") {
      warn("onOperatorMessage expects a function.");
      return function () {
        return false;
      };
    }
    const state = sharedState();
    if (state.callbacks.indexOf(callback) === -1) state.callbacks.push(callback);
    if (!state.listening && send(["on", "message:received", state.dispatcher])) {
      state.listening = true;
    }
    return function unsubscribe() {
      const index = state.callbacks.indexOf(callback);
      if (index === -1) return false;
      state.callbacks.splice(index, 1);
      if (state.callbacks.length === 0 && state.listening) {
        send(["off", "message:received"]);
        state.listening = false;
      }
      return true;
    };
  }

  return Object.freeze({
    version: version,
    init: init,
    identify: identify,
    mergeContext: mergeContext,
    segments: segments,
    event: event,
    open: open,
    close: close,
    show: show,
    hide: hide,
    onOperatorMessage: onOperatorMessage,
    createCrispKit: createCrispKit
  });
}

/** The kit bound to the global window (resolved at call time, so importing it outside a browser is harmless). */
const CrispKit = createCrispKit();

// Classic build: the only global it adds is window.CrispKit. If the page includes this file
// twice, the first copy stays (callers may hold references to it); page state is shared anyway.
if (typeof window !== "undefined" && !(window.CrispKit && window.CrispKit.version)) {
  window.CrispKit = CrispKit;
}
})();
