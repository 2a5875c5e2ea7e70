// The desk's answer templates: choosing one puts its text into the answer box, where the writer
// edits it; the list is then reset, so the server does not add the text a second time.
(function () {
  "use strict";
  var data = document.getElementById("answer-templates");
  var select = document.getElementById("id_opening");
  var box = document.getElementById("id_text");
  if (!data || !select || !box) { return; }
  var texts = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    var text = texts[select.value];
    if (!text) { return; }
    box.value = box.value.trim() ? text + "\n\n" + box.value : text + "\n\n";
    select.value = "";
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });
})();
