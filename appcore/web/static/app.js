// Small progressive enhancements; every screen works without them except the
// bulk upload's progress (ID-2). No inline script anywhere (CSP script-src 'self').
"use strict";
(function () {
  function csrf() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute("content") : "";
  }
  // 印刷 buttons.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  // Confirmation for destructive actions (転出, 削除, 延長).
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // Bulk registration: send the file as the request body, then poll progress.
  var form = document.getElementById("import-form");
  if (!form) return;
  var status = document.getElementById("import-status");
  var bar = document.getElementById("import-progress");
  function say(text) { status.textContent = text; }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("f-file").files[0];
    if (!file) { say("ファイルを選択してください。"); return; }
    say("アップロードしています…");
    fetch("/api/imports", {
      method: "POST", credentials: "same-origin", body: file,
      headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": csrf() }
    }).then(function (r) { return r.json().then(function (j) { return [r, j]; }); })
      .then(function (rj) {
        if (!rj[0].ok) { say(rj[1].error ? rj[1].error.message : "アップロードに失敗しました。"); return; }
        poll(rj[1].job_id);
      }).catch(function () { say("通信に失敗しました。"); });
  });
  function poll(id) {
    fetch("/api/imports/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.rows_total) { bar.max = j.rows_total; bar.value = j.rows_done; }
        if (j.state === "running" || j.state === "queued") {
          say("登録中: " + j.rows_done + " / " + (j.rows_total || "?") + " 行");
          setTimeout(function () { poll(id); }, 500);
        } else if (j.state === "done") {
          window.location.href = "/imports/" + encodeURIComponent(id);
        } else {
          say(j.error || "一括登録に失敗しました。");
        }
      }).catch(function () { say("通信に失敗しました。"); });
  }

})();
// Clinical forms (issue 6): XML batch upload (F-9) with the per-form results.
(function () {
  var form = document.getElementById("form-import");
  if (!form) return;
  var status = document.getElementById("form-import-status");
  var table = document.getElementById("form-import-result");
  var token = document.querySelector('meta[name="csrf-token"]');
  function cell(tr, text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("f-batch").files[0];
    if (!file) { status.textContent = "ファイルを選択してください。"; return; }
    status.textContent = "アップロードしています…";
    // The same screen serves nanbyo-check batches (F-9) and paper forms (F-11).
    fetch(form.getAttribute("action") + "?file=" + encodeURIComponent(file.name), {
      method: "POST", credentials: "same-origin", body: file,
      headers: { "Content-Type": "application/octet-stream",
        "X-CSRF-Token": token ? token.getAttribute("content") : "" }
    }).then(function (r) { return r.json().then(function (j) { return [r, j]; }); })
      .then(function (rj) {
        var j = rj[1];
        if (!rj[0].ok) { status.textContent = j.error ? j.error.message : "登録に失敗しました。"; return; }
        status.textContent = "登録 " + j.imported + " 件、失敗 " + j.failed + " 件、登録済み " + j.already + " 件";
        var body = table.querySelector("tbody");
        body.textContent = "";
        j.items.forEach(function (i) {
          var tr = document.createElement("tr");
          cell(tr, i.file); cell(tr, i.definition);
          cell(tr, i.imported ? "登録しました" : "失敗");
          cell(tr, i.imported ? i.access_key : i.reasons.join(" / "));
          body.appendChild(tr);
        });
        table.hidden = false;
      }).catch(function () { status.textContent = "通信に失敗しました。"; });
  });
})();
