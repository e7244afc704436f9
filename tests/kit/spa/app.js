// CrispKit SPA demo: a hash router with 3 routes that does what customers' SPAs do on EVERY route
// change (init, identify, mergeContext, onOperatorMessage), to show the kit keeps that safe:
// one loader, merged session data, one message:received registration.
//
// What a browser test can read:
//   window.__crispFake (from fake-crisp-loader.js): loaderLoads, pushes, sessionData, handlers, snapshot(), receiveMessage(m)
//   <html data-ready="true"> once the first route rendered; <body data-route="home|pricing|account" data-visits="n">
//   #operator-messages li: one per operator message delivered to the page
//   script[data-crisp-kit]: the single loader element
(function () {
  "use strict";
  var WEBSITE_ID = "8f9a3c2e-1b4d-4e5f-9a6b-7c8d9e0f1a2b";
  // Relative to the page, so it resolves to /spa/fake-crisp-loader.js next to index.html.
  var LOADER_URL = "fake-crisp-loader.js";
  var ROUTES = {
    home: "Home",
    pricing: "Pricing",
    account: "Your account"
  };
  // Identity verification signature: in a real app it comes from the customer's backend
  // (HMAC-SHA256 of the email with the Crisp secret); never computed in the browser.
  var USER = {
    email: "ada@example.com",
    nickname: "Ada Lovelace",
    signature: "5d1c1d5b0f5d8f8b6a2f0f6b8b8e3b0c5f3f8a1d9e2c4b6a8d0e2f4a6c8e0b2d"
  };
  var visits = 0; // route changes handled on this page so far (1 after the first render)

  // ONE function reference for the whole page lifetime, so re-registering on each route change is a no-op.
  function showOperatorMessage(message) {
    var item = document.createElement("li");
    item.textContent = typeof message.content === "string" ? message.content : JSON.stringify(message.content);
    document.getElementById("operator-messages").appendChild(item);
  }

  function currentRoute() {
    var name = (location.hash || "").replace(/^#\/?/, "");
    return Object.prototype.hasOwnProperty.call(ROUTES, name) ? name : "home";
  }

  function start(kit, build) {
    document.getElementById("build").textContent = build;
    document.getElementById("open-chat").addEventListener("click", function () {
      kit.open();
    });

    function onRouteChange() {
      var route = currentRoute();
      visits += 1;
      // Deliberately the "every route change" pattern the kit is built for.
      kit.init({ websiteId: WEBSITE_ID, loaderUrl: LOADER_URL });
      kit.identify(USER);
      kit.mergeContext({ route: route, visits: visits });
      kit.onOperatorMessage(showOperatorMessage);

      document.getElementById("title").textContent = ROUTES[route];
      document.getElementById("route").textContent = route;
      document.getElementById("visits").textContent = String(visits);
      document.body.setAttribute("data-route", route);
      document.body.setAttribute("data-visits", String(visits));
      document.documentElement.setAttribute("data-ready", "true");
    }

    window.addEventListener("hashchange", onRouteChange);
    onRouteChange();
  }

  function fail(error) {
    document.documentElement.setAttribute("data-error", String(error && error.message ? error.message : error));
    document.getElementById("title").textContent = "Kit failed to load: " + String(error);
  }

  if (document.documentElement.getAttribute("data-kit-build") === "esm") {
    // Resolved against this script's URL: /spa/app.js -> /kit/crisp-kit.mjs.
    import("../kit/crisp-kit.mjs").then(function (module) {
      start(module.CrispKit, "esm");
    }, fail);
  } else if (window.CrispKit) {
    start(window.CrispKit, "classic");
  } else {
    fail(new Error("window.CrispKit missing: is ../kit/crisp-kit.js served next to /spa/?"));
  }
})();
