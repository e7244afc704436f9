// Stand-in for Crisp's loader (https://client.crisp.chat/l.js) for offline tests: the SPA demo
// passes this file as CrispKit.init({ loaderUrl }). Like the real loader it takes over
// window.$crisp: it drains the array queue in order, then replaces it with an object whose push()
// applies commands at once. Nothing here talks to the network.
//
// Everything observable is on window.__crispFake:
//   loaderLoads       how many times this loader ran (must stay 1 per page lifetime)
//   pushes            every command received, in order (queued ones first), as given
//   queuedBeforeLoad  how many of those were waiting in the array queue when the loader ran
//   sessionData       session:data as a merged map (Crisp upserts the keys it is given; "" deletes)
//   segments, events, user {email, signature, nickname}, chat {opened, visible}
//   handlers          { "<event>": [functions] } registered with "on" ("off" clears an event)
//   errors            commands this stand-in did not understand
//   receiveMessage(m) delivers a message to the message:received handlers (m.from "operator" or "user")
//   emit(event, p)    delivers any event to its handlers
//   snapshot()        a JSON-safe copy of the above (functions become "[function]") for Playwright
//
// Seed (what the hub or agents set before the page ran), read once on the first load, from
// window.__crispFakeSeed or the <html data-crisp-fake-seed='{"sessionData":{...},"segments":[...]}'> attribute.
(function (w) {
  "use strict";
  var doc = w.document;
  var fake = w.__crispFake;
  if (!fake) {
    fake = {
      loaderLoads: 0,
      pushes: [],
      queuedBeforeLoad: 0,
      sessionData: {},
      segments: [],
      events: [],
      user: {},
      chat: { opened: false, visible: true },
      handlers: {},
      errors: []
    };
    var seed = w.__crispFakeSeed;
    if (!seed && doc && doc.documentElement && doc.documentElement.getAttribute) {
      var raw = doc.documentElement.getAttribute("data-crisp-fake-seed");
      if (raw) {
        try { seed = JSON.parse(raw); } catch (e) { fake.errors.push("bad seed JSON: " + e.message); }
      }
    }
    if (seed && seed.sessionData) {
      Object.keys(seed.sessionData).forEach(function (k) { fake.sessionData[k] = seed.sessionData[k]; });
    }
    if (seed && seed.segments) fake.segments = seed.segments.slice();
    fake.emit = function (eventName, payload) {
      (fake.handlers[eventName] || []).slice().forEach(function (h) { h(payload); });
    };
    fake.receiveMessage = function (message) { fake.emit("message:received", message); };
    fake.snapshot = function () {
      return JSON.parse(JSON.stringify(fake, function (key, value) {
        return typeof value === "function" ? "[function]" : value;
      }));
    };
    w.__crispFake = fake;
  }
  fake.loaderLoads += 1;

  // A second run means a second loader was injected: count it (tests assert 1) and keep the object.
  if (w.$crisp && w.$crisp.__crispFake === true) return;

  function apply(command) {
    fake.pushes.push(command);
    if (!command || typeof command.length !== "number") { fake.errors.push("not a command"); return; }
    var verb = command[0], method = command[1], args = command[2];
    var key = verb + " " + method;
    if (verb === "on") {
      (fake.handlers[method] = fake.handlers[method] || []).push(args);
    } else if (verb === "off") {
      delete fake.handlers[method];
    } else if (key === "set session:data") {
      // Crisp takes [[[k, v], ...]] and also a single [k, v].
      var pairs = typeof args[0] === "string" ? [args] : args[0];
      pairs.forEach(function (pair) {
        if (pair[1] === "") delete fake.sessionData[pair[0]];
        else fake.sessionData[pair[0]] = pair[1];
      });
    } else if (key === "set session:segments") {
      if (args[1] === true) fake.segments = [];
      args[0].forEach(function (s) { if (fake.segments.indexOf(s) === -1) fake.segments.push(s); });
    } else if (key === "set session:event") {
      args[0].forEach(function (e) { fake.events.push({ text: e[0], data: e[1], color: e[2] }); });
    } else if (key === "set user:email") {
      fake.user.email = args[0];
      fake.user.signature = args.length > 1 ? args[1] : null;
    } else if (key === "set user:nickname") {
      fake.user.nickname = args[0];
    } else if (key === "do chat:open") {
      fake.chat.opened = true;
    } else if (key === "do chat:close") {
      fake.chat.opened = false;
    } else if (key === "do chat:show") {
      fake.chat.visible = true;
    } else if (key === "do chat:hide") {
      fake.chat.visible = false;
    } else {
      fake.errors.push("unhandled " + key);
    }
  }

  var queued = w.$crisp && typeof w.$crisp.length === "number" ? Array.prototype.slice.call(w.$crisp) : [];
  w.$crisp = {
    __crispFake: true,
    push: function () {
      for (var i = 0; i < arguments.length; i++) apply(arguments[i]);
    },
    get: function (what, key) {
      if (what === "session:data") return key == null ? fake.sessionData : fake.sessionData[key];
      if (what === "user:email") return fake.user.email;
      if (what === "user:nickname") return fake.user.nickname;
      return undefined;
    },
    is: function (what) {
      if (what === "chat:opened") return fake.chat.opened;
      if (what === "chat:visible") return fake.chat.visible;
      return false;
    }
  };
  fake.queuedBeforeLoad = queued.length;
  queued.forEach(apply);
})(window);
