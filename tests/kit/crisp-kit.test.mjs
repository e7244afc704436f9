// Unit tests for the CrispKit module (ES build, plus the classic build through vm).
// Run: tests/kit/run.sh   (or: node --test tests/kit/)
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createFakePage, plain, kitDir } from "./support/fake-page.mjs";

const esm = await import(pathToFileURL(join(kitDir, "crisp-kit.mjs")).href);
const { createCrispKit } = esm;

const SITE = "8f9a3c2e-1b4d-4e5f-9a6b-7c8d9e0f1a2b";
const OTHER_SITE = "11111111-2222-4333-8444-555555555555";
const EMAIL = "ada@example.com";
const SIGNATURE = createHmac("sha256", "tenant-secret").update(EMAIL).digest("hex");

/** A fake page plus a kit bound to it, warnings captured. */
function setup(options) {
  const page = createFakePage(options);
  const kit = createCrispKit({ window: page.window, logger: page.logger });
  return { page, kit, win: page.window };
}

/** Commands sitting in the $crisp array queue (before any loader ran). */
function queued(win) {
  assert.ok(Array.isArray(win.$crisp), "$crisp is still the array queue");
  return plain(win.$crisp);
}

describe("init", () => {
  test("sets CRISP_WEBSITE_ID, creates the queue, injects one marked async loader, pushes nothing", () => {
    const { page, kit, win } = setup();
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(win.CRISP_WEBSITE_ID, SITE);
    assert.deepEqual(queued(win), []);
    const scripts = page.scripts();
    assert.equal(scripts.length, 1);
    const [script] = scripts;
    assert.equal(script.getAttribute("src"), "https://client.crisp.chat/l.js");
    assert.equal(script.async, true);
    assert.equal(script.getAttribute("data-crisp-kit"), kit.version);
    assert.equal(script.getAttribute("data-crisp-website-id"), SITE);
    assert.equal(script.parentNode, page.document.head);
    assert.deepEqual(page.warnings, []);
  });

  test("uses loaderUrl when given", () => {
    const { page, kit } = setup();
    kit.init({ websiteId: SITE, loaderUrl: "/spa/fake-crisp-loader.js" });
    assert.equal(page.scripts()[0].getAttribute("src"), "/spa/fake-crisp-loader.js");
  });

  test("never replaces an existing $crisp queue", () => {
    const { kit, win } = setup();
    const existing = [["set", "user:nickname", ["Early"]]];
    win.$crisp = existing;
    kit.init({ websiteId: SITE });
    assert.equal(win.$crisp, existing);
    assert.deepEqual(queued(win), [["set", "user:nickname", ["Early"]]]);
  });

  test("20 calls (a route change each) inject one loader; repeats are silent no-ops", () => {
    const { page, kit, win } = setup();
    for (let i = 0; i < 20; i++) assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 1);
    assert.equal(win.CRISP_WEBSITE_ID, SITE);
    assert.deepEqual(page.warnings, []);
    page.loadInjectedScripts();
    for (let i = 0; i < 20; i++) kit.init({ websiteId: SITE });
    assert.equal(page.scripts().length, 1);
    assert.equal(win.__crispFake.loaderLoads, 1);
  });

  test("a different websiteId is refused with a warning and no second loader", () => {
    const { page, kit, win } = setup();
    kit.init({ websiteId: SITE });
    assert.equal(kit.init({ websiteId: OTHER_SITE }), false);
    assert.equal(page.scripts().length, 1);
    assert.equal(win.CRISP_WEBSITE_ID, SITE);
    assert.equal(page.warnings.length, 1);
    assert.match(page.warnings[0], /already loaded .* refusing/);
  });

  test("an upper-case or padded websiteId is written as Crisp writes it: lower case", () => {
    const { page, kit, win } = setup();
    assert.equal(kit.init({ websiteId: " " + SITE.toUpperCase() + " " }), true);
    assert.equal(win.CRISP_WEBSITE_ID, SITE);
    assert.equal(page.scripts()[0].getAttribute("data-crisp-website-id"), SITE);
    assert.deepEqual(page.warnings, []);
  });

  test("the websiteId comparison ignores case", () => {
    const { page, kit } = setup();
    kit.init({ websiteId: SITE });
    assert.equal(kit.init({ websiteId: SITE.toUpperCase() }), true);
    assert.equal(page.scripts().length, 1);
  });

  test("a second kit instance on the same page does not inject again", () => {
    const { page, kit } = setup();
    const second = createCrispKit({ window: page.window, logger: page.logger });
    kit.init({ websiteId: SITE });
    assert.equal(second.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 1);
    assert.equal(second.init({ websiteId: OTHER_SITE }), false);
    assert.equal(page.scripts().length, 1);
  });

  test("a head manager removing the loader <script> does not make the next route change inject again", () => {
    const { page, kit } = setup();
    kit.init({ websiteId: SITE });
    const [script] = page.scripts();
    script.parentNode.removeChild(script);
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(createCrispKit({ window: page.window }).init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 0);
    assert.equal(kit.init({ websiteId: OTHER_SITE }), false);
  });

  test("a kit that only sees the marker element (another copy of the kit, state not shared) does not inject", () => {
    const { page, kit } = setup();
    page.addScript({ src: "https://hub.example/kit/other.js", "data-crisp-kit": "0.9.0", "data-crisp-website-id": SITE });
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 1);
    assert.equal(kit.init({ websiteId: OTHER_SITE }), false);
  });

  test("Crisp's own snippet already on the page: no second loader", () => {
    const { page, kit, win } = setup();
    win.CRISP_WEBSITE_ID = SITE;
    page.addScript({ src: "https://client.crisp.chat/l.js" });
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 1);
    assert.equal(kit.init({ websiteId: OTHER_SITE }), false);
    assert.match(page.warnings[0], /already loaded/);
  });

  test("Crisp's runtime object already in place: no loader, and commands go straight to it", () => {
    const { page, kit, win } = setup();
    const received = [];
    win.CRISP_WEBSITE_ID = SITE;
    win.$crisp = { push: (c) => received.push(c), is: () => false, get: () => undefined };
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 0);
    kit.identify({ email: EMAIL });
    kit.open();
    assert.deepEqual(received, [["set", "user:email", [EMAIL]], ["do", "chat:open"]]);
  });

  test("a loader on the page without CRISP_WEBSITE_ID: warning, no second loader", () => {
    const { page, kit } = setup();
    page.addScript({ src: "https://client.crisp.chat/l.js" });
    assert.equal(kit.init({ websiteId: SITE }), false);
    assert.equal(page.scripts().length, 1);
    assert.match(page.warnings[0], /CRISP_WEBSITE_ID is not set/);
  });

  test("a stale CRISP_WEBSITE_ID without any loader is replaced, with a warning", () => {
    const { page, kit, win } = setup();
    win.CRISP_WEBSITE_ID = OTHER_SITE;
    assert.equal(kit.init({ websiteId: SITE }), true);
    assert.equal(win.CRISP_WEBSITE_ID, SITE);
    assert.equal(page.scripts().length, 1);
    assert.match(page.warnings[0], /replacing CRISP_WEBSITE_ID/);
  });

  test("falls back to <html> when the document has no head", () => {
    const { page, kit } = setup({ head: false });
    kit.init({ websiteId: SITE });
    assert.equal(page.scripts()[0].parentNode, page.document.documentElement);
  });

  test("the window and document can be given to init instead of createCrispKit", () => {
    const page = createFakePage();
    const kit = createCrispKit({ logger: page.logger });
    assert.equal(kit.init({ websiteId: SITE, window: page.window, document: page.document }), true);
    assert.equal(page.scripts().length, 1);
    kit.open();
    assert.deepEqual(plain(page.window.$crisp), [["do", "chat:open"]]);
  });

  test("input checks", () => {
    const bad = [
      [undefined, /options object/],
      ["8f9a3c2e-1b4d-4e5f-9a6b-7c8d9e0f1a2b", /options object/],
      [{}, /websiteId must be/],
      [{ websiteId: "" }, /websiteId must be/],
      [{ websiteId: "my-website" }, /websiteId must be/],
      [{ websiteId: 42 }, /websiteId must be/],
      [{ websiteId: SITE, loaderUrl: "" }, /loaderUrl/],
      [{ websiteId: SITE, loaderUrl: 7 }, /loaderUrl/],
      [{ websiteId: SITE, loaderUrl: "javascript:alert(1)" }, /loaderUrl/],
      [{ websiteId: SITE, loaderUrl: "data:text/javascript,1" }, /loaderUrl/],
    ];
    for (const [options, message] of bad) {
      const { page, kit, win } = setup();
      assert.equal(kit.init(options), false, JSON.stringify(options));
      assert.equal(page.scripts().length, 0);
      assert.equal(win.CRISP_WEBSITE_ID, undefined);
      assert.equal(page.warnings.length, 1);
      assert.match(page.warnings[0], message);
    }
  });

  test("without a window or document it warns instead of throwing", () => {
    const warnings = [];
    const kit = createCrispKit({ logger: { warn: (m) => warnings.push(m) } });
    assert.equal(kit.init({ websiteId: SITE }), false);
    assert.match(warnings[0], /needs a window and a document/);
    assert.equal(kit.open(), false);
    assert.match(warnings[1], /no window/);
  });
});

describe("identify", () => {
  test("email with signature, then nickname", () => {
    const { kit, win, page } = setup();
    assert.equal(kit.identify({ email: EMAIL, nickname: "Ada Lovelace", signature: SIGNATURE }), true);
    assert.deepEqual(queued(win), [
      ["set", "user:email", [EMAIL, SIGNATURE]],
      ["set", "user:nickname", ["Ada Lovelace"]],
    ]);
    assert.deepEqual(page.warnings, []);
  });

  test("no signature (absent or null): the email alone, no second element", () => {
    const { kit, win } = setup();
    kit.identify({ email: EMAIL });
    kit.identify({ email: EMAIL, signature: null });
    assert.deepEqual(queued(win), [["set", "user:email", [EMAIL]], ["set", "user:email", [EMAIL]]]);
  });

  test("nickname only", () => {
    const { kit, win } = setup();
    kit.identify({ nickname: "Ada" });
    assert.deepEqual(queued(win), [["set", "user:nickname", ["Ada"]]]);
  });

  test("bad input: warning and no push at all (atomic)", () => {
    const bad = [
      undefined,
      null,
      "ada@example.com",
      {},
      { email: null, nickname: null },
      { email: "" },
      { email: "ada" },
      { email: "ada@example" },
      { email: "ada@@example.com" },
      { email: "ada lovelace@example.com" },
      { email: "ada@example..com" },
      { email: "<ada@example.com>" },
      { email: 42 },
      { email: "a".repeat(250) + "@example.com" },
      { email: "ada@example.com", nickname: "" },
      { email: "ada@example.com", nickname: "   " },
      { email: "ada@example.com", nickname: 7 },
      { email: "ada@example.com", nickname: "n".repeat(257) },
      { email: "ada@example.com", signature: "not-hex" },
      { email: "ada@example.com", signature: "" },
      { email: "ada@example.com", signature: SIGNATURE.slice(1) },
      { email: "ada@example.com", signature: 123 },
      { nickname: "Ada", signature: SIGNATURE },
      { email: "bad", nickname: "Ada" },
      { email: "ada\u0000@example.com" },
      { email: "ada\u200b@example.com" },
      { email: "ada@example.com\u2060" },
      { email: "ada\uff20example.com" },
      { email: "ada\u200e@example.com" },
      { email: "ada@example.com", nickname: "Ada\u001b[31m" },
    ];
    for (const input of bad) {
      const { kit, win, page } = setup();
      assert.equal(kit.identify(input), false, JSON.stringify(input));
      assert.equal(win.$crisp, undefined, "nothing pushed for " + JSON.stringify(input));
      assert.equal(page.warnings.length, 1, JSON.stringify(input));
    }
  });

  test("accepts ordinary addresses", () => {
    for (const email of ["a@b.co", "first.last+tag@sub.example.co.uk", "x_y-z@example-mail.org"]) {
      const { kit, win } = setup();
      assert.equal(kit.identify({ email }), true, email);
      assert.deepEqual(queued(win), [["set", "user:email", [email]]]);
    }
  });
});

describe("mergeContext", () => {
  test("pushes only the named keys, in one session:data command", () => {
    const { kit, win, page } = setup();
    assert.equal(kit.mergeContext({ route: "pricing", visits: 3, beta: true }), true);
    assert.deepEqual(queued(win), [["set", "session:data", [[["route", "pricing"], ["visits", 3], ["beta", true]]]]]);
    assert.deepEqual(page.warnings, []);
  });

  test("invalid values are refused per key with a warning; the rest is still pushed", () => {
    const { kit, win, page } = setup();
    const input = {
      ok: "yes",
      obj: { a: 1 },
      arr: [1],
      nul: null,
      undef: undefined,
      fn() {},
      nan: NaN,
      inf: Infinity,
      big: 10n,
      sym: Symbol("s"),
      n: 0,
      f: false,
      empty: "",
    };
    assert.equal(kit.mergeContext(input), true);
    assert.deepEqual(queued(win), [["set", "session:data", [[["ok", "yes"], ["n", 0], ["f", false], ["empty", ""]]]]]);
    assert.equal(page.warnings.length, 9);
    for (const key of ["obj", "arr", "nul", "undef", "fn", "nan", "inf", "big", "sym"]) {
      assert.ok(page.warnings.some((w) => w.includes(`"${key}"`)), "warning names " + key);
    }
  });

  test("invalid keys are refused per key", () => {
    const { kit, win, page } = setup();
    kit.mergeContext({ "Plan": "x", "user.plan": "x", "with space": "x", "ünï": "x", ["k".repeat(65)]: "x", ["k".repeat(64)]: "kept", "a_b-c9": 1 });
    assert.deepEqual(queued(win), [["set", "session:data", [[["k".repeat(64), "kept"], ["a_b-c9", 1]]]]]);
    assert.equal(page.warnings.length, 5);
    assert.ok(page.warnings.every((w) => /key ".*" refused/.test(w)));
  });

  test("values the hub's API refuses are refused here too: strings over 2000 characters, control characters", () => {
    const { kit, win, page } = setup();
    const input = { long: "x".repeat(2001), max: "y".repeat(2000), nul: "a\u0000b", esc: "\u001b[2J", tab: "a\tb" };
    assert.equal(kit.mergeContext(input), true);
    assert.deepEqual(queued(win), [["set", "session:data", [[["max", "y".repeat(2000)], ["tab", "a\tb"]]]]]);
    assert.equal(page.warnings.length, 3);
    for (const key of ["long", "nul", "esc"]) {
      assert.ok(page.warnings.some((w) => w.includes(`"${key}"`)), "warning names " + key);
    }
  });

  test("more than 100 keys go in pushes of at most 100, none lost", () => {
    const { kit, win, page } = setup();
    const input = {};
    for (let i = 0; i < 250; i++) input["k" + i] = i;
    assert.equal(kit.mergeContext(input), true);
    const pushes = queued(win);
    assert.deepEqual(pushes.map((c) => c[2][0].length), [100, 100, 50]);
    assert.deepEqual(pushes.flatMap((c) => c[2][0]), Object.entries(input));
    assert.deepEqual(page.warnings, []);
  });

  test("nothing valid, nothing pushed", () => {
    for (const input of [{ obj: {} }, {}, null, undefined, [["k", "v"]], "k=v", new Map([["k", "v"]])]) {
      const { kit, win, page } = setup();
      assert.equal(kit.mergeContext(input), false);
      assert.equal(win.$crisp, undefined);
      assert.equal(page.warnings.length, 1);
    }
  });

  test("merge semantics against the stand-in loader: keys set by others survive every page", () => {
    const { page, kit, win } = setup({ seed: { sessionData: { plan: "pro", hub_tenant: "acme" } } });
    kit.init({ websiteId: SITE });
    kit.mergeContext({ route: "home", visits: 1 });
    page.loadInjectedScripts();
    kit.mergeContext({ route: "pricing", visits: 2 });
    kit.mergeContext({ cart: 3 });
    assert.deepEqual(plain(win.__crispFake.sessionData), { plan: "pro", hub_tenant: "acme", route: "pricing", visits: 2, cart: 3 });
  });

  test("copies the input: later mutation of the caller's object does not change what was queued", () => {
    const { kit, win } = setup();
    const data = { route: "home" };
    kit.mergeContext(data);
    data.route = "changed";
    assert.deepEqual(queued(win), [["set", "session:data", [[["route", "home"]]]]]);
  });
});

describe("segments", () => {
  test("appends by default, overwrites only when asked", () => {
    const { kit, win } = setup();
    kit.segments(["vip", "trial"]);
    kit.segments(["vip"], { overwrite: false });
    kit.segments(["reset"], { overwrite: true });
    assert.deepEqual(queued(win), [
      ["set", "session:segments", [["vip", "trial"], false]],
      ["set", "session:segments", [["vip"], false]],
      ["set", "session:segments", [["reset"], true]],
    ]);
  });

  test("trims each segment and sends it once", () => {
    const { kit, win, page } = setup();
    assert.equal(kit.segments([" vip", "vip ", "trial", "vip", "\ttrial"]), true);
    assert.deepEqual(queued(win), [["set", "session:segments", [["vip", "trial"], false]]]);
    assert.deepEqual(page.warnings, []);
  });

  test("an empty list with overwrite clears every segment; without overwrite it is refused", () => {
    const { kit, win, page } = setup();
    assert.equal(kit.segments([], { overwrite: true }), true);
    assert.deepEqual(queued(win), [["set", "session:segments", [[], true]]]);
    assert.equal(kit.segments([]), false);
    assert.equal(kit.segments([], { overwrite: false }), false);
    assert.equal(queued(win).length, 1);
    assert.equal(page.warnings.length, 2);
    assert.match(page.warnings[0], /overwrite: true/);
  });

  test("copies the list", () => {
    const { kit, win } = setup();
    const list = ["a"];
    kit.segments(list);
    list.push("b");
    assert.deepEqual(queued(win), [["set", "session:segments", [["a"], false]]]);
  });

  test("bad input: warning, no push", () => {
    const bad = [
      [undefined],
      ["vip"],
      [[]],
      [[], { overwrite: false }],
      [[], { overwrite: "yes" }],
      [["vip", ""]],
      [["vip", "  "]],
      [["vip", 3]],
      [["vip", null]],
      [["s".repeat(65)]],
      [Array.from({ length: 51 }, (_, i) => "s" + i)],
      [Array.from({ length: 51 }, (_, i) => "s" + i), { overwrite: true }],
      [["vip", "a\u0007b"]],
      [["vip"], { overwrite: "yes" }],
      [["vip"], true],
    ];
    for (const args of bad) {
      const { kit, win, page } = setup();
      assert.equal(kit.segments(...args), false, JSON.stringify(args));
      assert.equal(win.$crisp, undefined);
      assert.equal(page.warnings.length, 1);
    }
  });
});

describe("event", () => {
  test("defaults: empty data, blue", () => {
    const { kit, win } = setup();
    kit.event("Signed up");
    kit.event("Upgraded", { plan: "pro", seats: 5 }, "green");
    kit.event("Null data", null, null);
    assert.deepEqual(queued(win), [
      ["set", "session:event", [[["Signed up", {}, "blue"]]]],
      ["set", "session:event", [[["Upgraded", { plan: "pro", seats: 5 }, "green"]]]],
      ["set", "session:event", [[["Null data", {}, "blue"]]]],
    ]);
  });

  test("every Crisp color is accepted", () => {
    const { kit, win } = setup();
    const colors = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black"];
    for (const color of colors) assert.equal(kit.event("e", {}, color), true);
    assert.deepEqual(plain(win.$crisp).map((c) => c[2][0][0][2]), colors);
  });

  test("bad input: warning, no push", () => {
    const bad = [
      [],
      [""],
      ["  "],
      [42],
      ["x".repeat(257)],
      ["e", "data"],
      ["e", [1]],
      ["e", { nested: { a: 1 } }],
      ["e", { n: NaN }],
      ["e", { "Order.Id": 1 }],
      ["e", { "": 1 }],
      ["e", { note: "x".repeat(2001) }],
      ["e", { note: "a\u0000" }],
      ["e", Object.fromEntries(Array.from({ length: 101 }, (_, i) => ["k" + i, i]))],
      ["e\u0000"],
      ["e", {}, "gray"],
      ["e", {}, "Blue"],
      ["e", {}, 1],
    ];
    for (const args of bad) {
      const { kit, win, page } = setup();
      assert.equal(kit.event(...args), false, JSON.stringify(args));
      assert.equal(win.$crisp, undefined);
      assert.equal(page.warnings.length, 1, JSON.stringify(args));
    }
  });
});

describe("chat controls", () => {
  test("open, close, show, hide", () => {
    const { kit, win } = setup();
    kit.open();
    kit.close();
    kit.hide();
    kit.show();
    assert.deepEqual(queued(win), [["do", "chat:open"], ["do", "chat:close"], ["do", "chat:hide"], ["do", "chat:show"]]);
  });

  test("a $crisp that is not a queue: warning, nothing thrown", () => {
    const { kit, win, page } = setup();
    win.$crisp = "oops";
    assert.equal(kit.open(), false);
    assert.match(page.warnings[0], /not a Crisp queue/);
  });

  test("a $crisp.push that throws: warning, nothing thrown into the page", () => {
    const { kit, win, page } = setup();
    win.$crisp = { push() { throw new Error("boom"); } };
    assert.equal(kit.hide(), false);
    assert.match(page.warnings[0], /boom/);
  });
});

describe("ordering", () => {
  test("calls before init and before the loader is ready reach Crisp in call order, then later calls follow", () => {
    const { page, kit, win } = setup();
    kit.identify({ email: EMAIL, signature: SIGNATURE }); // before init: the kit creates the queue
    kit.init({ websiteId: SITE });
    kit.mergeContext({ route: "home" });
    kit.segments(["vip"]);
    kit.event("Viewed", { page: "home" });
    kit.open();
    assert.equal(Array.isArray(win.$crisp), true);
    page.loadInjectedScripts(); // the loader swaps the array for the runtime object
    assert.equal(Array.isArray(win.$crisp), false);
    kit.mergeContext({ route: "pricing" });
    kit.hide();
    const fake = win.__crispFake;
    assert.equal(fake.queuedBeforeLoad, 5);
    assert.deepEqual(plain(fake.pushes), [
      ["set", "user:email", [EMAIL, SIGNATURE]],
      ["set", "session:data", [[["route", "home"]]]],
      ["set", "session:segments", [["vip"], false]],
      ["set", "session:event", [[["Viewed", { page: "home" }, "blue"]]]],
      ["do", "chat:open"],
      ["set", "session:data", [[["route", "pricing"]]]],
      ["do", "chat:hide"],
    ]);
    assert.deepEqual(plain(fake.errors), []);
  });

  test("the kit never holds on to an old queue: a swap between two calls loses nothing", () => {
    const { kit, win } = setup();
    const log = [];
    kit.open();
    const early = win.$crisp;
    // What Crisp does: drain the array, then install its object.
    win.$crisp = { push: (c) => log.push(c), is: () => true };
    early.forEach((c) => win.$crisp.push(c));
    kit.hide();
    assert.deepEqual(log, [["do", "chat:open"], ["do", "chat:hide"]]);
  });
});

describe("onOperatorMessage", () => {
  test("registers message:received once however often it is called, and forwards operator messages only", () => {
    const { page, kit, win } = setup();
    const got = [];
    const callback = (m) => got.push(m.content);
    kit.init({ websiteId: SITE });
    for (let i = 0; i < 10; i++) kit.onOperatorMessage(callback);
    const registrations = plain(win.$crisp).filter((c) => c[0] === "on");
    assert.deepEqual(registrations, [["on", "message:received", "[function]"]]);
    page.loadInjectedScripts();
    const fake = win.__crispFake;
    assert.equal(fake.handlers["message:received"].length, 1);
    fake.receiveMessage({ from: "user", content: "hi from visitor" });
    fake.receiveMessage({ from: "operator", content: "hello from agent" });
    fake.receiveMessage(undefined);
    fake.receiveMessage({ content: "no origin" });
    assert.deepEqual(got, ["hello from agent"]);
  });

  test("several callbacks share one registration; off only when the last one leaves", () => {
    const { page, kit, win } = setup();
    const a = [];
    const b = [];
    const onA = (m) => a.push(m.content);
    const onB = (m) => b.push(m.content);
    kit.init({ websiteId: SITE });
    page.loadInjectedScripts();
    const fake = win.__crispFake;
    const unsubscribeA = kit.onOperatorMessage(onA);
    const unsubscribeB = kit.onOperatorMessage(onB);
    fake.receiveMessage({ from: "operator", content: "1" });
    assert.equal(unsubscribeA(), true);
    assert.equal(unsubscribeA(), false); // idempotent
    fake.receiveMessage({ from: "operator", content: "2" });
    assert.equal(fake.handlers["message:received"].length, 1);
    assert.equal(unsubscribeB(), true);
    fake.receiveMessage({ from: "operator", content: "3" });
    assert.deepEqual(a, ["1"]);
    assert.deepEqual(b, ["1", "2"]);
    assert.deepEqual(plain(fake.pushes).filter((c) => c[0] === "on" || c[0] === "off"), [
      ["on", "message:received", "[function]"],
      ["off", "message:received"],
    ]);
    assert.equal(fake.handlers["message:received"], undefined);
    // Subscribing again after everything left registers again (once).
    kit.onOperatorMessage(onA);
    kit.onOperatorMessage(onA);
    fake.receiveMessage({ from: "operator", content: "4" });
    assert.deepEqual(a, ["1", "4"]);
    assert.equal(plain(fake.pushes).filter((c) => c[0] === "on").length, 2);
  });

  test("two kit instances on one page share the registration and the callback list", () => {
    const { page, kit, win } = setup();
    const other = createCrispKit({ window: page.window, logger: page.logger });
    const got = [];
    const callback = (m) => got.push(m.content);
    kit.onOperatorMessage(callback);
    const unsubscribe = other.onOperatorMessage(callback);
    assert.equal(plain(win.$crisp).length, 1);
    kit.init({ websiteId: SITE });
    page.loadInjectedScripts();
    win.__crispFake.receiveMessage({ from: "operator", content: "once" });
    assert.deepEqual(got, ["once"]);
    unsubscribe();
    assert.deepEqual(plain(win.__crispFake.pushes).at(-1), ["off", "message:received"]);
  });

  test("a throwing callback does not stop the others", () => {
    const { page, kit, win } = setup();
    const got = [];
    kit.onOperatorMessage(() => {
      throw new Error("bad handler");
    });
    kit.onOperatorMessage((m) => got.push(m.content));
    kit.init({ websiteId: SITE });
    page.loadInjectedScripts();
    win.__crispFake.receiveMessage({ from: "operator", content: "still delivered" });
    assert.deepEqual(got, ["still delivered"]);
    assert.match(page.warnings[0], /bad handler/);
  });

  test("bad input: warning, no push, a harmless unsubscribe", () => {
    for (const value of [undefined, null, "cb", {}]) {
      const { kit, win, page } = setup();
      const unsubscribe = kit.onOperatorMessage(value);
      assert.equal(typeof unsubscribe, "function");
      assert.equal(unsubscribe(), false);
      assert.equal(win.$crisp, undefined);
      assert.equal(page.warnings.length, 1);
    }
  });
});

describe("builds", () => {
  const apiNames = ["close", "createCrispKit", "event", "hide", "identify", "init", "mergeContext", "onOperatorMessage", "open", "segments", "show", "version"];

  test("ES build exports createCrispKit, CrispKit (default too) and version", () => {
    assert.equal(typeof esm.createCrispKit, "function");
    assert.equal(esm.default, esm.CrispKit);
    assert.match(esm.version, /^\d+\.\d+\.\d+$/);
    assert.equal(esm.CrispKit.version, esm.version);
    assert.deepEqual(Object.keys(esm.CrispKit).sort(), apiNames);
    assert.ok(Object.isFrozen(esm.CrispKit));
    assert.deepEqual(Object.keys(createCrispKit()).sort(), apiNames);
  });

  test("classic build sets window.CrispKit with the same API and no other global", () => {
    const page = createFakePage();
    const before = new Set(Object.getOwnPropertyNames(page.window));
    page.runFile(join(kitDir, "crisp-kit.js"));
    const CrispKit = page.window.CrispKit;
    assert.deepEqual(Object.keys(CrispKit).sort(), apiNames);
    assert.equal(CrispKit.version, esm.version);
    for (const name of apiNames) assert.equal(typeof CrispKit[name], typeof esm.CrispKit[name], name);
    // Drive it like a page would (it binds to the page's global window).
    CrispKit.init({ websiteId: SITE, loaderUrl: "fake-crisp-loader.js" });
    CrispKit.identify({ email: EMAIL, nickname: "Ada" });
    CrispKit.mergeContext({ route: "home", visits: 1 });
    const added = Object.getOwnPropertyNames(page.window).filter((n) => !before.has(n)).sort();
    assert.deepEqual(added, ["$crisp", "CRISP_WEBSITE_ID", "CrispKit"]);
    assert.deepEqual(plain(page.window.$crisp), [
      ["set", "user:email", [EMAIL]],
      ["set", "user:nickname", ["Ada"]],
      ["set", "session:data", [[["route", "home"], ["visits", 1]]]],
    ]);
    assert.equal(page.scripts().length, 1);
  });

  test("classic and ES builds on the same page share one loader; a second classic copy keeps the first", () => {
    const page = createFakePage();
    page.runFile(join(kitDir, "crisp-kit.js"));
    const first = page.window.CrispKit;
    page.runFile(join(kitDir, "crisp-kit.js"));
    assert.equal(page.window.CrispKit, first);
    first.init({ websiteId: SITE });
    const fromEsm = createCrispKit({ window: page.window, logger: page.logger });
    assert.equal(fromEsm.init({ websiteId: SITE }), true);
    assert.equal(page.scripts().length, 1);
    const got = [];
    const callback = (m) => got.push(m.content);
    first.onOperatorMessage(callback);
    fromEsm.onOperatorMessage(callback);
    page.loadInjectedScripts();
    assert.equal(page.window.__crispFake.handlers["message:received"].length, 1);
    page.window.__crispFake.receiveMessage({ from: "operator", content: "x" });
    assert.deepEqual(got, ["x"]);
  });

  test("the versioned copies match the latest files", async () => {
    const { readFileSync } = await import("node:fs");
    for (const file of ["crisp-kit.js", "crisp-kit.mjs"]) {
      assert.equal(readFileSync(join(kitDir, esm.version, file), "utf8"), readFileSync(join(kitDir, file), "utf8"));
    }
  });
});
