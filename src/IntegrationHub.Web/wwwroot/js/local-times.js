// Progressive enhancement: times are rendered in UTC on the server (readable without JavaScript) and shown in the
// viewer's own time zone when scripts run. The original UTC value stays in the title.
(function () {
  "use strict";
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  document.querySelectorAll("time[datetime]").forEach(function (element) {
    var value = new Date(element.getAttribute("datetime"));
    if (!isNaN(value.getTime())) {
      element.title = element.textContent;
      element.textContent = format.format(value);
    }
  });
})();
