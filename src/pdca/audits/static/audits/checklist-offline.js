/* The audit checklist, offline first.
 *
 * Every change (answer, notes, evidence, photo) is first put in a queue on the device
 * (IndexedDB, or localStorage when IndexedDB is unavailable), then sent to the server in
 * order whenever the browser is online. Each answer carries a client id and the version of the
 * question it was based on: the server ignores a resend of the same client id, and keeps an
 * edit based on a stale version as a conflict, so nothing typed is ever lost.
 */
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  if (!root) return;
  var syncUrl = root.dataset.syncUrl, photoUrl = root.dataset.photoUrl, csrf = root.dataset.csrf;
  var KEY = "pdca-checklist-" + root.dataset.audit;
  var pendingEl = document.getElementById("pending-count");
  // The page's words, in the reader's language (data-t-* on #checklist); English if absent.
  function t(name, fallback) { return root.dataset[name] || fallback; }
  var netEl = document.getElementById("net-state");
  var syncing = false, retryMs = 2000, retryTimer = null;
  // After this device's own answer is accepted, its later queued answers for the same question
  // were based on the same version: rebase them so they do not conflict with themselves.
  var rebase = JSON.parse(localStorage.getItem(KEY + "-rebase") || "{}");

  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  /* ---- the queue: IndexedDB with a localStorage fallback ---- */
  var dbp = null;
  function db() {
    if (dbp) return dbp;
    dbp = new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var req;
      try { req = indexedDB.open("pdca-checklists", 1); } catch (e) { return resolve(null); }
      req.onupgradeneeded = function () {
        req.result.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
    });
    return dbp;
  }
  function lsRead() { return JSON.parse(localStorage.getItem(KEY) || "[]"); }
  function lsWrite(items) { localStorage.setItem(KEY, JSON.stringify(items)); }

  function enqueue(item) {
    item.audit = root.dataset.audit;
    return db().then(function (d) {
      if (!d) {
        var items = lsRead(); item.seq = Date.now() + Math.random(); items.push(item); lsWrite(items);
        return;
      }
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("queue", "readwrite");
        tx.objectStore("queue").add(item);
        tx.oncomplete = resolve; tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function all() {
    return db().then(function (d) {
      if (!d) return lsRead();
      return new Promise(function (resolve) {
        var req = d.transaction("queue").objectStore("queue").getAll();
        req.onsuccess = function () {
          resolve(req.result.filter(function (i) { return i.audit === root.dataset.audit; }));
        };
        req.onerror = function () { resolve([]); };
      });
    });
  }
  function remove(seq) {
    return db().then(function (d) {
      if (!d) { lsWrite(lsRead().filter(function (i) { return i.seq !== seq; })); return; }
      return new Promise(function (resolve) {
        var tx = d.transaction("queue", "readwrite");
        tx.objectStore("queue").delete(seq);
        tx.oncomplete = resolve; tx.onerror = resolve;
      });
    });
  }

  /* ---- what the page shows ---- */
  function showPending() {
    return all().then(function (items) {
      var answers = items.filter(function (i) { return i.kind === "answer"; }).length;
      var photos = items.length - answers;
      var text = t(answers === 1 ? "tAnswer" : "tAnswers",
                   answers === 1 ? "{n} answer not yet synced" : "{n} answers not yet synced").replace("{n}", answers);
      if (photos) text += t(photos === 1 ? "tPhoto" : "tPhotos", photos === 1 ? ", {n} photo" : ", {n} photos").replace("{n}", photos);
      pendingEl.textContent = text;
      pendingEl.dataset.count = String(items.length);
    });
  }
  function showNet() {
    var on = navigator.onLine;
    netEl.textContent = on ? t("tOnline", "online") : t("tOffline", "offline: saved on this device");
    netEl.className = "badge " + (on ? "ok" : "warn");
  }
  function article(qid) { return document.getElementById("q-" + qid); }
  function stateOf(art, text) { var el = art.querySelector(".q-state"); if (el) el.textContent = text; }

  /* ---- capturing changes ---- */
  function capture(art) {
    var checked = art.querySelector("input[type=radio]:checked");
    var item = {
      kind: "answer",
      client_id: uid(),
      question: Number(art.dataset.question),
      base_version: Number(art.dataset.version),
      answer: checked ? checked.value : "",
      notes: art.querySelector("textarea[name=notes]").value,
      evidence_seen: art.querySelector("textarea[name=evidence_seen]").value
    };
    stateOf(art, t("tSavedDevice", "Saved on this device"));
    return enqueue(item).then(showPending).then(sync);
  }
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
      r.readAsDataURL(file);
    });
  }
  root.addEventListener("change", function (e) {
    var art = e.target.closest("article.question");
    if (!art) return;
    if (e.target.type === "file") {
      var file = e.target.files && e.target.files[0];
      if (!file) return;
      readFile(file).then(function (dataUrl) {
        e.target.value = "";
        return enqueue({ kind: "photo", client_id: uid(), question: Number(art.dataset.question),
                         name: file.name, data: dataUrl });
      }).then(function () { stateOf(art, t("tPhotoSavedDevice", "Photo saved on this device")); return showPending(); })
        .then(sync);
      return;
    }
    capture(art);
  });

  /* ---- sending, in order ---- */
  function dataUrlToBlob(url) {
    var parts = url.split(","), mime = parts[0].split(":")[1].split(";")[0];
    var bin = atob(parts[1]), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: mime });
  }
  function send(item) {
    if (item.kind === "photo") {
      var form = new FormData();
      form.append("client_id", item.client_id);
      form.append("question", item.question);
      form.append("photo", dataUrlToBlob(item.data), item.name || "photo.jpg");
      return fetch(photoUrl, { method: "POST", body: form, credentials: "same-origin",
                               headers: { "X-CSRFToken": csrf } });
    }
    var r = rebase[item.question];
    var body = Object.assign({}, item);
    if (r && r.from === item.base_version) body.base_version = r.to;
    delete body.seq; delete body.kind; delete body.audit;
    return fetch(syncUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: [body] })
    });
  }
  function applyResult(item, data) {
    var art = article(item.question);
    if (item.kind === "photo") {
      if (art) stateOf(art, t("tPhotoSynced", "Photo synced"));
      return;
    }
    var res = data.results[0];
    if (res.outcome !== "conflict") {
      rebase[item.question] = { from: item.base_version, to: res.version };
      localStorage.setItem(KEY + "-rebase", JSON.stringify(rebase));
    }
    if (!art) return;
    art.dataset.version = String(res.version);
    if (res.outcome === "conflict") {
      var note = document.createElement("div");
      note.className = "conflict"; note.setAttribute("role", "alert");
      var strong = document.createElement("strong"), badge = document.createElement("span");
      badge.className = "badge danger"; badge.textContent = t("tConflict", "Conflicting edits");
      strong.appendChild(badge); note.appendChild(strong);
      note.appendChild(document.createTextNode(" " + t("tConflictText",
        "Another device saved this answer first. Your edit is kept on the server for review; " +
        "the form now shows the saved answer.")));
      art.appendChild(note);
      art.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === res.answer; });
      art.querySelector("textarea[name=notes]").value = res.notes;
      art.querySelector("textarea[name=evidence_seen]").value = res.evidence_seen;
    } else {
      stateOf(art, t("tSynced", "Synced"));
    }
  }
  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; sync(); }, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  }
  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return all().then(function (items) {
      items.sort(function (a, b) { return a.seq - b.seq; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (go) {
          if (!go) return false;
          return send(item).then(function (resp) {
            if (resp.status >= 500 || resp.status === 0) throw new Error("server " + resp.status);
            return resp.json().catch(function () { return {}; }).then(function (data) {
              if (resp.ok) { applyResult(item, data); return remove(item.seq).then(function () { return true; }); }
              // Refused for good (bad input, no permission): keep it visible, never drop silently.
              var art = article(item.question);
              if (art) stateOf(art, "Not accepted by the server: " + JSON.stringify(data.errors || resp.status));
              throw new Error("refused " + resp.status);
            });
          });
        });
      });
      return chain;
    }).then(function () { retryMs = 2000; }, function () { scheduleRetry(); })
      .then(function () { syncing = false; return showPending(); })
      .then(function () {
        // Changes made while this round was sending go out now.
        if (Number(pendingEl.dataset.count) > 0 && navigator.onLine && !retryTimer) setTimeout(sync, 50);
      });
  }

  window.addEventListener("online", function () { showNet(); sync(); });
  window.addEventListener("offline", showNet);
  showNet(); showPending(); sync();
  setInterval(function () { if (navigator.onLine) sync(); }, 15000);
  window.pdcaChecklist = { sync: sync, pending: all };
})();
