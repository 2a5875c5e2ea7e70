// Live FAQ suggestions under the case subject (progressive enhancement of the filing form).
// Without JavaScript the server shows the same suggestions as a step after the first submit; once
// this script has shown the suggestions for the current subject it sets `suggestions_seen`, so the
// server files the case straight away. Text is inserted with textContent only, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("filing-form");
  var live = document.getElementById("deflection-live");
  if (!form || !live || !window.fetch) { return; }
  var subject = form.querySelector('[name="subject"]');
  var service = form.querySelector('[name="service"]');
  var seen = form.querySelector('[name="suggestions_seen"]');
  var csrf = form.querySelector('[name="csrfmiddlewaretoken"]');
  if (!subject) { return; }

  var DELAY_MS = 400;
  var MIN_LETTERS = 3;
  var timer = null;
  var latest = 0;
  // The "answered" forms live outside the filing form (forms cannot nest); buttons point at them.
  var holder = document.createElement("div");
  holder.hidden = true;
  form.parentNode.insertBefore(holder, form.nextSibling);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function answeredForm(item) {
    var f = el("form");
    f.method = "post";
    f.action = item.answered_url;
    f.id = "deflection-answered-" + item.id;
    [["csrfmiddlewaretoken", csrf ? csrf.value : ""], ["next", item.url]].forEach(function (pair) {
      var input = el("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      f.appendChild(input);
    });
    return f;
  }

  function render(results) {
    live.textContent = "";
    holder.textContent = "";
    if (!results.length) { return; }
    var box = el("div", "deflection-box");
    box.appendChild(el("p", "deflection-title", live.dataset.title));
    box.appendChild(el("p", "deflection-intro", live.dataset.intro));
    var list = el("ul", "deflection-list list-unstyled");
    results.forEach(function (item) {
      var li = el("li", "deflection-item");
      var link = el("a", "deflection-question", item.question);
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.dir = "auto";
      link.appendChild(el("span", "visually-hidden", " " + live.dataset.newTab));
      li.appendChild(link);
      holder.appendChild(answeredForm(item));
      var button = el("button", "btn btn-success btn-sm", live.dataset.answered);
      button.type = "submit";
      button.setAttribute("form", "deflection-answered-" + item.id);
      button.appendChild(el("span", "visually-hidden", ": " + item.question));
      var actions = el("div", "deflection-actions");
      actions.appendChild(button);
      li.appendChild(actions);
      list.appendChild(li);
    });
    box.appendChild(list);
    live.appendChild(box);
  }

  function lookup() {
    var query = subject.value.trim();
    if (query.replace(/\s/g, "").length < MIN_LETTERS) {
      render([]);
      return;
    }
    var ticket = ++latest;
    var params = new URLSearchParams({ q: query });
    if (service && service.value) { params.set("service", service.value); }
    fetch(live.dataset.suggestUrl + "?" + params.toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ticket !== latest) { return; }
        render(data.results || []);
        // The citizen has now seen what the server would show; the next submit files the case.
        if (seen) { seen.value = "1"; }
      })
      .catch(function () { /* The server-side step still offers the suggestions. */ });
  }

  function schedule() {
    if (seen) { seen.value = ""; }
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, DELAY_MS);
  }

  subject.addEventListener("input", schedule);
  if (service) { service.addEventListener("change", schedule); }
  if (subject.value.trim()) { lookup(); }
})();
