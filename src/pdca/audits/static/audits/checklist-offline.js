/* The audit checklist, offline first.
 *
 * Every change (answer, notes, evidence, photo) is first put in a queue on the device
 * (IndexedDB, or localStorage when IndexedDB is unavailable), then sent to the server in
 * order whenever the browser is online. Each answer carries a client id and the version of the
 * question it was based on: the server ignores a resend of the same client id, and keeps an
 * edit based on a stale version as a conflict, so nothing typed is ever lost.
 *
 * Text is queued as it is typed (a moment after the last key), and a question's unsent changes
 * are folded into one item. An item the server refuses (a file that is no image, an audit
 * closed meanwhile) is set aside with the server's reason and a choice (try again, replace the
 * photo, discard); the items after it go on syncing. Network and server failures are retried.
 * The service worker (/sw.js) keeps this page and the auditor's other checklists on the
 * device, so that they open and reload without a network.
 */
(function () {
  "use strict";
  var root = document.getElementById("checklist");
  if (!root) return;
  var config = JSON.parse(document.getElementById("checklist-offline").textContent);
  var texts = config.texts || {};
  var syncUrl = root.dataset.syncUrl, photoUrl = root.dataset.photoUrl;
  var audit = root.dataset.audit, user = config.user || "";
  var KEY = "pdca-checklist-" + user + "-" + audit;
  var pendingEl = document.getElementById("pending-count");
  var asideEl = document.getElementById("aside-count");
  var problemEl = document.getElementById("sync-problem");
  var netEl = document.getElementById("net-state");
  var readyEl = document.getElementById("offline-ready");
  var orphansEl = document.getElementById("orphans");
  var TYPING_MS = 600, SERVER_TRIES = 3;
  var syncing = false, again = false, retryMs = 2000, retryTimer = null, blocked = "";
  var typing = {};       // question id -> debounce timer
  var lastQueued = {};   // question id -> the form's state last queued (or shown)

  function t(name, values) {
    var text = texts[name] || name;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }
  function plural(name, n) { return t(name + (n === 1 ? "_one" : "_other"), { n: n }); }
  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function store(name, fallback) {
    try { return JSON.parse(localStorage.getItem(KEY + "-" + name) || "null") || fallback; } catch (e) { return fallback; }
  }
  function save(name, value) {
    try { localStorage.setItem(KEY + "-" + name, JSON.stringify(value)); } catch (e) { /* full: kept in memory */ }
  }
  // After this device's own answer is accepted, its later queued answers for the same question
  // were based on the same version: rebase them so they do not conflict with themselves.
  var rebase = store("rebase", {});
  // The last state the server confirmed per question: a page kept offline may be older.
  var known = store("known", {});

  /* ---- the queue: IndexedDB with a localStorage fallback, one change at a time ---- */
  var dbp = null, lock = Promise.resolve();
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
  // Reading and changing the queue never interleave: typing cannot fold a change into an item
  // that the sync is sending at that moment.
  function locked(fn) {
    var run = lock.then(fn);
    lock = run.catch(function () {});
    return run;
  }
  var LS = "pdca-checklists-queue";
  function lsRead() { try { return JSON.parse(localStorage.getItem(LS) || "[]"); } catch (e) { return []; } }
  function lsWrite(items) { localStorage.setItem(LS, JSON.stringify(items)); }
  function mine(item) { return item.audit === audit && (item.user || user) === user; }

  function all() {
    return db().then(function (d) {
      if (!d) return lsRead().filter(mine);
      return new Promise(function (resolve) {
        var req = d.transaction("queue").objectStore("queue").getAll();
        req.onsuccess = function () { resolve(req.result.filter(mine)); };
        req.onerror = function () { resolve([]); };
      });
    }).then(function (items) { return items.sort(function (a, b) { return a.seq - b.seq; }); });
  }
  function put(item) {
    item.audit = audit; item.user = user;
    return db().then(function (d) {
      if (!d) {
        var items = lsRead();
        if (item.seq === undefined) { item.seq = Date.now() + Math.random(); items.push(item); }
        else items = items.map(function (i) { return i.seq === item.seq ? item : i; });
        lsWrite(items);
        return item;
      }
      return new Promise(function (resolve, reject) {
        var tx = d.transaction("queue", "readwrite");
        var req = tx.objectStore("queue").put(item);
        req.onsuccess = function () { item.seq = req.result; };
        tx.oncomplete = function () { resolve(item); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
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
  function storageFailed() { showProblem(t("storage_full")); }

  /* ---- what the page shows ---- */
  function article(qid) { return document.getElementById("q-" + qid); }
  function stateOf(art, text) { var el = art && art.querySelector(".q-state"); if (el) el.textContent = text; }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function showProblem(text, link) {
    problemEl.textContent = text || "";
    if (link) {
      var a = el("a", "", link.label); a.href = link.href;
      problemEl.appendChild(document.createTextNode(" ")); problemEl.appendChild(a);
    }
    problemEl.hidden = !text;
  }
  function showNet() {
    var on = navigator.onLine;
    netEl.textContent = on ? t("online") : t("offline");
    netEl.className = "badge " + (on ? "ok" : "warn");
  }
  function showQueue() {
    return all().then(function (items) {
      var questions = {}, photos = 0, aside = [];
      items.forEach(function (i) {
        if (i.status === "refused") aside.push(i);
        else if (i.kind === "photo") photos += 1;
        else questions[i.question] = true;
      });
      var n = Object.keys(questions).length;
      var text = n || photos ? plural("pending", n) + (photos ? plural("photos", photos) : "") : t("all_synced");
      pendingEl.textContent = text;
      pendingEl.dataset.count = String(n + photos);
      pendingEl.dataset.questions = String(n);
      pendingEl.dataset.photos = String(photos);
      asideEl.hidden = !aside.length;
      asideEl.dataset.count = String(aside.length);
      if (aside.length) {
        asideEl.textContent = plural("aside", aside.length);
        asideEl.href = "#aside-" + aside[0].seq;
      }
      showItems(items);
    });
  }
  // Photos waiting on the device, and the items set aside, next to their question.
  var shown = null;
  function showItems(items) {
    // Redrawn only when the queue changed, so that a choice being made is not interrupted.
    var signature = JSON.stringify(items.map(function (i) { return [i.seq, i.kind, i.status, i.error, i.name]; }));
    if (signature === shown) return;
    shown = signature;
    document.querySelectorAll(".photo-pending, .aside").forEach(function (n) { n.remove(); });
    var orphans = 0;
    items.forEach(function (item) {
      var art = article(item.question);
      if (item.kind === "photo" && item.status !== "refused" && art) {
        art.querySelector(".photos").appendChild(el("span", "photo-pending", "📷 " + t("photo_pending", { name: item.name })));
      }
      if (item.status !== "refused") return;
      var box = asideBox(item);
      if (art) {
        var anchor = art.querySelector(".q-state");
        anchor.parentNode.insertBefore(box, anchor.nextSibling);
      } else {
        box.insertBefore(el("p", "small muted", t("orphan")), box.firstChild);
        orphansEl.appendChild(box); orphans += 1;
      }
    });
    orphansEl.hidden = !orphans;
  }
  function asideBox(item) {
    var box = el("div", "aside");
    box.id = "aside-" + item.seq;
    box.setAttribute("role", "alert");
    box.dataset.seq = String(item.seq);
    box.dataset.kind = item.kind;
    var what = item.kind === "photo" ? "photo_refused" : "answer_refused";
    var head = el("p", "", "");
    head.appendChild(el("strong", "", t(what, { reason: item.error || "" })));
    if (item.kind === "photo" && item.name) head.appendChild(document.createTextNode(" (" + item.name + ")"));
    box.appendChild(head);
    box.appendChild(el("p", "small", t("aside_hint")));
    var actions = el("div", "aside-actions");
    // For a photo, another photo is the likely way out; for an answer, sending it again.
    if (item.kind === "photo") {
      var label = el("label", "replace", "");
      label.appendChild(el("span", "", t("replace")));
      var input = el("input"); input.type = "file"; input.accept = "image/*"; input.dataset.op = "replace";
      label.appendChild(input);
      actions.appendChild(label);
    }
    var retry = el("button", item.kind === "photo" ? "secondary outline" : "", t("retry"));
    retry.type = "button"; retry.dataset.op = "retry";
    actions.appendChild(retry);
    var discard = el("button", "secondary outline", t("discard")); discard.type = "button"; discard.dataset.op = "discard";
    actions.appendChild(discard);
    box.appendChild(actions);
    return box;
  }

  /* ---- capturing changes ---- */
  function formState(art) {
    var checked = art.querySelector("input[type=radio]:checked");
    return {
      answer: checked ? checked.value : "",
      notes: art.querySelector("textarea[name=notes]").value,
      evidence_seen: art.querySelector("textarea[name=evidence_seen]").value
    };
  }
  function setForm(art, state) {
    art.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === state.answer; });
    art.querySelector("textarea[name=notes]").value = state.notes || "";
    art.querySelector("textarea[name=evidence_seen]").value = state.evidence_seen || "";
  }
  function same(a, b) {
    return a && b && a.answer === b.answer && a.notes === b.notes && a.evidence_seen === b.evidence_seen;
  }
  // Queue the question's state: folded into its unsent item, or a new one after it.
  function capture(art) {
    var qid = Number(art.dataset.question);
    clearTimeout(typing[qid]); delete typing[qid];
    var state = formState(art);
    if (same(state, lastQueued[qid])) return Promise.resolve();
    lastQueued[qid] = state;
    return locked(function () {
      return all().then(function (items) {
        var open = items.filter(function (i) {
          return i.kind === "answer" && i.question === qid && i.status !== "refused" && !i.tries;
        }).pop();
        var item = open || { kind: "answer", question: qid, status: "pending", tries: 0,
                             base_version: Number(art.dataset.version) };
        // A changed item is a new submission: the server must not take it for a resend.
        item.client_id = uid();
        item.answer = state.answer; item.notes = state.notes; item.evidence_seen = state.evidence_seen;
        return put(item);
      });
    }).then(function () {
      stateOf(art, t("saved_device"));
      return showQueue();
    }, storageFailed).then(sync);
  }
  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
      r.readAsDataURL(file);
    });
  }
  function queuePhoto(art, file) {
    return readFile(file).then(function (dataUrl) {
      return locked(function () {
        return put({ kind: "photo", client_id: uid(), question: Number(art.dataset.question),
                     name: file.name, data: dataUrl, status: "pending", tries: 0 });
      });
    }).then(function () { stateOf(art, t("photo_saved_device")); return showQueue(); }, storageFailed)
      .then(sync);
  }
  root.addEventListener("input", function (e) {
    if (e.target.tagName !== "TEXTAREA") return;
    var art = e.target.closest("article.question");
    if (!art) return;
    var qid = Number(art.dataset.question);
    clearTimeout(typing[qid]);
    typing[qid] = setTimeout(function () { capture(art); }, TYPING_MS);
  });
  root.addEventListener("change", function (e) {
    if (e.target.dataset.op === "replace") return replace(e.target);
    var art = e.target.closest("article.question");
    if (!art) return;
    if (e.target.type === "file") {
      var file = e.target.files && e.target.files[0];
      e.target.value = "";
      if (file) queuePhoto(art, file);
      return;
    }
    capture(art);
  });
  root.addEventListener("click", function (e) {
    var op = e.target.dataset && e.target.dataset.op;
    if (op === "retry") retryItem(Number(e.target.closest(".aside").dataset.seq));
    else if (op === "discard") discardItem(e.target);
  });
  // Leaving the page (or the phone locking it) queues what is being typed at once.
  function flush() {
    Object.keys(typing).forEach(function (qid) { var art = article(qid); if (art) capture(art); });
  }
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", function () { if (document.hidden) flush(); });

  /* ---- the choices for an item set aside ---- */
  function updateItem(seq, change) {
    return locked(function () {
      return all().then(function (items) {
        var item = items.filter(function (i) { return i.seq === seq; })[0];
        if (!item) return null;
        if (change === null) return remove(seq);
        change(item);
        return put(item);
      });
    }).then(showQueue);
  }
  function retryItem(seq) {
    return updateItem(seq, function (item) { item.status = "pending"; item.error = ""; item.tries = 0; })
      .then(function () { blocked = ""; showProblem(""); return sync(); });
  }
  function discardItem(button) {
    // A second press discards: one slip of the thumb must not throw an answer away.
    if (button.dataset.armed !== "1") {
      button.dataset.armed = "1";
      button.textContent = t("discard_confirm");
      return;
    }
    updateItem(Number(button.closest(".aside").dataset.seq), null);
  }
  function replace(input) {
    var file = input.files && input.files[0];
    var seq = Number(input.closest(".aside").dataset.seq);
    if (!file) return;
    readFile(file).then(function (dataUrl) {
      return updateItem(seq, function (item) {
        item.data = dataUrl; item.name = file.name; item.client_id = uid();
        item.status = "pending"; item.error = ""; item.tries = 0;
      });
    }).then(sync, storageFailed);
  }

  /* ---- sending, in order ---- */
  function csrfToken() {
    var name = config.csrfCookie || "csrftoken";
    var match = document.cookie.split("; ").filter(function (c) { return c.indexOf(name + "=") === 0; })[0];
    // The cookie follows a new sign-in; the token in a page kept offline may be older.
    return match ? decodeURIComponent(match.slice(name.length + 1)) : root.dataset.csrf;
  }
  function dataUrlToBlob(url) {
    var parts = url.split(","), mime = parts[0].split(":")[1].split(";")[0];
    var bin = atob(parts[1]), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Blob([bytes], { type: mime });
  }
  function send(item) {
    var headers = { "X-CSRFToken": csrfToken(), "Accept": "application/json" };
    if (item.kind === "photo") {
      var form = new FormData();
      form.append("client_id", item.client_id);
      form.append("question", item.question);
      form.append("photo", dataUrlToBlob(item.data), item.name || "photo.jpg");
      return fetch(photoUrl, { method: "POST", body: form, credentials: "same-origin", headers: headers });
    }
    var r = rebase[item.question];
    var body = { client_id: item.client_id, question: item.question, base_version: item.base_version,
                 answer: item.answer, notes: item.notes, evidence_seen: item.evidence_seen };
    if (r && r.from === item.base_version) body.base_version = r.to;
    headers["Content-Type"] = "application/json";
    return fetch(syncUrl, { method: "POST", credentials: "same-origin", headers: headers,
                            body: JSON.stringify({ answers: [body] }) });
  }
  // What a response means for the queue: done, set aside, try later, or stop until signed in.
  function outcome(resp) {
    var json = (resp.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!json) {
      if (resp.redirected || resp.status === 401) return Promise.resolve({ kind: "signed_out" });
      if (resp.status === 403) return Promise.resolve({ kind: "security" });
      if (resp.status === 413) return Promise.resolve({ kind: "refused", reason: t("too_large") });
      if (resp.status >= 500 || resp.status === 429) return Promise.resolve({ kind: "server", status: resp.status });
      return Promise.resolve({ kind: "refused", reason: t("refused_status", { status: resp.status }) });
    }
    return resp.json().catch(function () { return {}; }).then(function (data) {
      if (resp.ok && data.ok !== false) return { kind: "done", data: data };
      if (resp.status >= 500 || resp.status === 429) return { kind: "server", status: resp.status };
      return { kind: "refused", reason: data.message || data.detail || t("refused_status", { status: resp.status }) };
    });
  }
  function applyResult(item, data) {
    var art = article(item.question);
    if (item.kind === "photo") {
      if (art) {
        stateOf(art, t("photo_synced"));
        var a = el("a", "", "📷 " + (item.name || "photo"));
        a.href = data.url; a.target = "_blank";
        art.querySelector(".photos").appendChild(a);
        art.querySelector(".photos").appendChild(document.createTextNode(" "));
      }
      return;
    }
    var res = data.results[0];
    if (res.outcome !== "conflict") {
      rebase[item.question] = { from: item.base_version, to: res.version };
      save("rebase", rebase);
    }
    known[item.question] = { version: res.version, answer: res.answer, notes: res.notes, evidence_seen: res.evidence_seen };
    save("known", known);
    if (!art) return;
    art.dataset.version = String(res.version);
    if (res.outcome === "conflict") {
      var note = el("div", "conflict");
      note.setAttribute("role", "alert");
      var strong = el("strong"); strong.appendChild(el("span", "badge danger", t("conflict")));
      note.appendChild(strong);
      note.appendChild(document.createTextNode(" " + t("conflict_text")));
      art.appendChild(note);
      setForm(art, res);
      lastQueued[item.question] = formState(art);
    } else if (!typing[item.question]) {
      stateOf(art, t("synced"));
    }
  }
  // The next item to send, marked as tried (so that typing no longer folds into it).
  function takeNext() {
    return locked(function () {
      return all().then(function (items) {
        var item = items.filter(function (i) { return i.status !== "refused"; })[0];
        if (!item) return null;
        item.tries = (item.tries || 0) + 1;
        return put(item);
      });
    });
  }
  function setAside(item, reason) {
    return updateItem(item.seq, function (i) { i.status = "refused"; i.error = reason; });
  }
  // A question's earlier refused answer is covered by a later one that was saved.
  function dropSuperseded(item) {
    if (item.kind !== "answer") return Promise.resolve();
    return locked(function () {
      return all().then(function (items) {
        return Promise.all(items.filter(function (i) {
          return i.kind === "answer" && i.question === item.question && i.status === "refused" && i.seq < item.seq;
        }).map(function (i) { return remove(i.seq); }));
      });
    });
  }
  function renewToken() {
    return fetch(syncUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) {
        var json = (resp.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!json || !resp.ok) return false;
        return resp.json().then(function (data) { if (data.csrf_token) root.dataset.csrf = data.csrf_token; return true; });
      }).catch(function () { return false; });
  }
  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; sync(); }, retryMs);
    retryMs = Math.min(retryMs * 2, 60000);
  }
  function step(renewed) {
    return takeNext().then(function (item) {
      if (!item) return "empty";
      return send(item).then(outcome, function () { return { kind: "network" }; }).then(function (result) {
        if (result.kind === "done") {
          applyResult(item, result.data);
          return locked(function () { return remove(item.seq); })
            .then(function () { return dropSuperseded(item); }).then(function () { return "next"; });
        }
        if (result.kind === "refused") return setAside(item, result.reason).then(function () { return "next"; });
        if (result.kind === "server") {
          if (item.tries >= SERVER_TRIES) {
            return setAside(item, t("server_gave_up", { status: result.status })).then(function () { return "next"; });
          }
          showProblem(t("server_error", { status: result.status }));
          return "later";
        }
        if (result.kind === "security" && !renewed) {
          return renewToken().then(function (ok) { return ok ? step(true) : "signed_out"; });
        }
        return result.kind; // network, signed_out, security
      });
    });
  }
  function sync() {
    if (!navigator.onLine || blocked) return Promise.resolve();
    if (syncing) { again = true; return Promise.resolve(); }
    syncing = true; again = false;
    var sent = 0;
    function loop() {
      return step(false).then(function (state) {
        if (state === "next") { sent += 1; return showQueue().then(loop); }
        return state;
      });
    }
    return loop().then(function (state) {
      if (state === "empty") { retryMs = 2000; showProblem(""); if (sent) refreshKept(); }
      else if (state === "signed_out") {
        blocked = state;
        showProblem(t("signed_out"), { label: t("sign_in"), href: config.signIn });
      } else if (state === "security") {
        blocked = state;
        showProblem(t("security"));
      } else scheduleRetry();
    }, function () { scheduleRetry(); }).then(function () {
      syncing = false;
      return showQueue();
    }).then(function () {
      // Changes queued while this round was sending go out now.
      if (again && !retryTimer) return sync();
    });
  }

  /* ---- kept on the device: the page after a reload, and the service worker ---- */
  function restore() {
    // Newer than the page: what this device's sync already confirmed (the page may be a copy
    // kept offline), then what is still queued.
    document.querySelectorAll("article.question").forEach(function (art) {
      var qid = art.dataset.question, k = known[qid];
      if (k && k.version > Number(art.dataset.version)) {
        art.dataset.version = String(k.version);
        setForm(art, k);
      }
    });
    return all().then(function (items) {
      items.forEach(function (item) {
        var art = article(item.question);
        if (item.kind !== "answer" || !art) return;
        setForm(art, item);
        stateOf(art, t("saved_device"));
      });
      document.querySelectorAll("article.question").forEach(function (art) {
        lastQueued[art.dataset.question] = formState(art);
      });
    });
  }
  function worker(message) {
    if (!("serviceWorker" in navigator) || !config.serviceWorker) return Promise.resolve(null);
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data); };
        reg.active.postMessage(message, [channel.port2]);
      });
    });
  }
  function keepMessage(refresh) {
    var assets = [];
    document.querySelectorAll("link[rel=stylesheet][href], script[src], link[rel=manifest][href]").forEach(function (n) {
      assets.push(n.href || n.src);
    });
    return { type: "keep", user: user, pages: config.pages, scope: config.scope, assets: assets, refresh: refresh || [] };
  }
  function refreshKept() {
    // The copy kept offline shows what was just synced the next time it opens.
    if (navigator.onLine) worker(keepMessage([location.pathname]));
  }
  function registerWorker() {
    if (!("serviceWorker" in navigator) || !config.serviceWorker) return;
    navigator.serviceWorker.register(config.serviceWorker, { scope: "/" }).then(function () {
      if (!navigator.onLine) return null;
      return worker(keepMessage());
    }).then(function (answer) {
      // Kept just now, or opened from the device (offline, or online before keeping it).
      if (answer ? !answer.ok : !navigator.serviceWorker.controller) return;
      readyEl.hidden = false;
      readyEl.textContent = t("offline_ready");
      readyEl.className = "badge ok";
      root.dataset.offlineReady = "1";
    }).catch(function () { /* no service worker: the queue still works while the page is open */ });
  }

  window.addEventListener("online", function () { showNet(); blocked = blocked === "signed_out" ? "" : blocked; sync(); });
  window.addEventListener("offline", showNet);
  showNet();
  restore().then(showQueue).then(sync);
  registerWorker();
  // Also after signing in again in another tab, or a security check that failed once.
  setInterval(function () { if (navigator.onLine) { blocked = ""; sync(); } }, 15000);
  window.pdcaChecklist = { sync: sync, pending: all, flush: flush };
})();
