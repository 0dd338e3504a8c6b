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
// Clinical forms: XML batch upload (F-9) and paper import (F-11) as jobs
// (issue 18): the file's upload progress, then the job's, then its result page.
(function () {
  var form = document.getElementById("form-import");
  if (!form) return;
  var status = document.getElementById("form-import-status");
  var sent = document.getElementById("form-import-upload");
  var done = document.getElementById("form-import-progress");
  var token = document.querySelector('meta[name="csrf-token"]');
  function say(text) { status.textContent = text; }
  function answer(xhr) { try { return JSON.parse(xhr.responseText); } catch (e) { return {}; } }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("f-batch").files[0];
    if (!file) { say("ファイルを選択してください。"); return; }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") + "?file=" + encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("X-CSRF-Token", token ? token.getAttribute("content") : "");
    xhr.upload.addEventListener("progress", function (p) {
      if (!p.lengthComputable) return;
      sent.max = p.total; sent.value = p.loaded;
      say("アップロード中: " + Math.floor(100 * p.loaded / p.total) + " %");
    });
    xhr.addEventListener("load", function () {
      var j = answer(xhr);
      if (xhr.status !== 202) { say(j.error ? j.error.message : "アップロードに失敗しました。"); return; }
      sent.max = 1; sent.value = 1;
      say("アップロードしました。登録しています…");
      poll(j.job_id, j.result_url);
    });
    xhr.addEventListener("error", function () { say("通信に失敗しました。"); });
    say("アップロードしています…");
    xhr.send(file);
  });
  function poll(id, result) {
    fetch("/api/imports/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.rows_total) { done.max = j.rows_total; done.value = j.rows_done; }
        if (j.state === "running") {
          say("登録中: " + j.rows_done + " / " + (j.rows_total || "?") + " 件");
          setTimeout(function () { poll(id, result); }, 500);
        } else if (j.state === "done") {
          window.location.href = result;
        } else {
          say(j.error || "登録に失敗しました。");
        }
      }).catch(function () { say("通信に失敗しました。"); });
  }
})();
