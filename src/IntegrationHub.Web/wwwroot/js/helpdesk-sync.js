// A helpdesk sync page refreshes itself while its calls are still queued, so progress shows until done.
(function () {
  "use strict";
  var status = document.getElementById("sync-status");
  if (status && status.getAttribute("data-status") === "pending") {
    setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
