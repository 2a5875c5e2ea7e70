// Progressive enhancement for the filing form: show only the identity fields the chosen tier needs.
// Without JavaScript every field stays visible and the server applies the same rules.
(function () {
  "use strict";
  var form = document.querySelector(".filing-form");
  if (!form) { return; }
  var identified = form.querySelector(".js-identified-only");
  var contact = form.querySelector(".js-contact-only");
  var anonymous = form.querySelector('input[name="identity_tier"][value="anonymous"]');

  function selected(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function update() {
    var tier = selected("identity_tier");
    if (identified) { identified.hidden = tier !== "identified"; }
    if (contact) { contact.hidden = tier === "anonymous"; }
    if (anonymous) {
      // A complaint cannot be anonymous; the server refuses it too.
      var isComplaint = selected("kind") === "complaint";
      anonymous.disabled = isComplaint;
      if (isComplaint && anonymous.checked) {
        var fallback = form.querySelector('input[name="identity_tier"][value="contact_only"]');
        if (fallback) { fallback.checked = true; tier = "contact_only"; }
        if (identified) { identified.hidden = true; }
        if (contact) { contact.hidden = false; }
      }
    }
  }

  form.addEventListener("change", function (event) {
    var name = event.target && event.target.name;
    if (name === "identity_tier" || name === "kind") { update(); }
  });
  update();
})();
