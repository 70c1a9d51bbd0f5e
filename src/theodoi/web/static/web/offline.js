// A report typed with no connection is kept on this device (localStorage) and sent when the
// connection returns, once: the form carries a submission key the server refuses twice.
// The page shows where the report stands ("Chưa gửi được — sẽ gửi khi có mạng").
(function () {
  "use strict";

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* optional */ });
  }

  var form = document.querySelector("form[data-offline-key]");
  if (!form) return;
  var storeKey = "theodoi:" + form.dataset.offlineKey;
  var stateBox = document.getElementById("offline-state");
  var texts = {
    pending: form.dataset.msgPending,
    sending: form.dataset.msgSending,
    noFiles: form.dataset.msgNoFiles,
    restored: form.dataset.msgRestored
  };

  function show(text, kind) {
    if (!stateBox) return;
    stateBox.textContent = text;
    stateBox.dataset.state = kind;
    stateBox.classList.toggle("d-none", !text);
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "null"); }
    catch (e) { return null; }
  }

  function save(draft) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(draft)); return true; }
    catch (e) { return false; }
  }

  function fieldsOf(submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    if (submitter && submitter.name) fields.push([submitter.name, submitter.value]);
    return fields;
  }

  function fill(fields, withKey) {
    fields.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "action" || (name === "submission" && !withKey)) return;
      var el = form.elements.namedItem(name);
      if (!el) return;
      if (el instanceof RadioNodeList) {
        Array.prototype.forEach.call(el, function (r) { r.checked = r.value === value; });
      } else if (el.type !== "file") {
        el.value = value;
      }
    });
  }

  function readFiles() {
    var input = form.querySelector("input[type=file]");
    var files = input ? Array.prototype.slice.call(input.files) : [];
    return Promise.all(files.map(function (file) {
      return new Promise(function (resolve) {
        var reader = new FileReader();
        reader.onload = function () {
          resolve({ name: input.name, filename: file.name, type: file.type, data: reader.result });
        };
        reader.onerror = function () { resolve(null); };
        reader.readAsDataURL(file);
      });
    })).then(function (list) { return list.filter(Boolean); });
  }

  function dataUrlToBlob(url, type) {
    var bytes = atob(url.split(",")[1] || "");
    var array = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: type || "application/octet-stream" });
  }

  var sending = false;
  function send() {
    var draft = load();
    if (!draft || draft.state !== "pending" || sending || !navigator.onLine) return;
    sending = true;
    show(texts.sending, "sending");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    (draft.files || []).forEach(function (f) {
      body.append(f.name, dataUrlToBlob(f.data, f.type), f.filename);
    });
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action") || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) {
          // The server answered (sent, or refused with the form and its reason): the draft
          // has arrived, and the answer is shown as the page.
          window.localStorage.removeItem(storeKey);
          window.history.replaceState(null, "", response.url);
          document.open();
          document.write(html);
          document.close();
        });
      })
      .catch(function () {
        sending = false;
        show(texts.pending, "pending");
      });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) {
      window.localStorage.removeItem(storeKey);
      return;
    }
    event.preventDefault();
    var fields = fieldsOf(event.submitter);
    readFiles().then(function (files) {
      var draft = { state: "pending", fields: fields, files: files, at: Date.now() };
      if (save(draft)) {
        show(texts.pending, "pending");
      } else {
        draft.files = [];
        save(draft);
        show(texts.pending + " " + texts.noFiles, "pending");
      }
    });
  });

  // Typing is kept too, so a page closed by mistake loses nothing.
  form.addEventListener("input", function () {
    var draft = load();
    if (draft && draft.state === "pending") return;
    var version = form.elements.namedItem("version");
    save({ state: "typed", fields: fieldsOf(null), version: version ? version.value : "" });
  });

  window.addEventListener("online", send);
  window.addEventListener("offline", function () {
    var draft = load();
    if (draft && draft.state === "pending") show(texts.pending, "pending");
  });

  var stored = load();
  if (stored && stored.state === "pending") {
    fill(stored.fields, true);
    show(texts.pending, "pending");
    send();
  } else if (stored && stored.state === "typed") {
    var version = form.elements.namedItem("version");
    if (!version || stored.version === version.value) {
      fill(stored.fields, false);
      show(texts.restored, "typed");
    }
  }
})();
