// The admin's selection counter ("0 of 3 selected") is rewritten by Django's actions.js on every
// click, with ASCII digits; in Persian, show them as Persian digits like the rest of the page.
(function () {
  "use strict";
  if (!(document.documentElement.lang || "").startsWith("fa")) { return; }
  var persian = "۰۱۲۳۴۵۶۷۸۹";
  function convert(node) {
    var text = node.textContent;
    var changed = text.replace(/[0-9]/g, function (d) { return persian[+d]; });
    if (changed !== text) { node.textContent = changed; }
  }
  document.querySelectorAll(".action-counter").forEach(function (counter) {
    convert(counter);
    new MutationObserver(function () { convert(counter); })
      .observe(counter, { childList: true, characterData: true, subtree: true });
  });
})();
