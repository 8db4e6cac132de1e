/* pdca's service worker: the pages a user needs in the field, kept on the device.
 *
 * A page asks for itself and its companions to be kept ("keep" message: the user's opaque key,
 * the pages, the static files they load). Those pages are then answered network first and,
 * when the network is gone, from the device; every other page goes to the network and, when
 * it cannot be reached, gets a short offline page listing what this device keeps.
 *
 * Kept pages are personal (they carry the user's answers): each user has a cache of their own,
 * only the user who last asked is ever served from it, and every sign-in or sign-out on this
 * device forgets them. Static files are the same for everyone and kept apart.
 */
"use strict";
const CONFIG = {{ config|safe }};
const PAGES = "pdca-pages-";
const ASSETS = "pdca-assets";
const META = "pdca-offline-meta";
const META_USER = new URL("/__pdca-offline/user", self.location).href;
// A kept page is fetched again in the background when its copy is older than this.
const FRESH_MS = 10 * 60 * 1000;
// On a slow field connection, a kept page is shown from the device after this long.
const NETWORK_WAIT_MS = 6000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((n) => !n.startsWith(PAGES) && n !== ASSETS && n !== META)
        .map((n) => caches.delete(n))
    )).then(() => self.clients.claim())
  );
});

/* ---- who the kept pages belong to ---- */
function readMeta() {
  return caches.open(META).then((c) => c.match(META_USER))
    .then((r) => (r ? r.json() : { user: "", pages: [] }));
}
function writeMeta(meta) {
  return caches.open(META).then((c) => c.put(META_USER, new Response(JSON.stringify(meta), {
    headers: { "Content-Type": "application/json" },
  })));
}
function forgetPages() {
  return caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith(PAGES) || n === META).map((n) => caches.delete(n))
  ));
}
function validKey(user) {
  return typeof user === "string" && /^[0-9a-f]{8,64}$/.test(user);
}

/* ---- keeping ---- */
function stamped(response) {
  // The copy carries when it was taken, to refresh it when it grows old.
  const headers = new Headers(response.headers);
  headers.set("X-Pdca-Kept-At", String(Date.now()));
  return response.blob().then((body) => new Response(body, {
    status: response.status, statusText: response.statusText, headers,
  }));
}
function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}
function fetchAndKeep(cacheName, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then((response) => {
    if (!keepable(response)) return false;
    return stamped(response).then((copy) => caches.open(cacheName).then((c) => c.put(url, copy)))
      .then(() => true);
  }).catch(() => false);
}
function sameOrigin(url) {
  try { return new URL(url, self.location).origin === self.location.origin; } catch (e) { return false; }
}

function keep(data) {
  if (!validKey(data.user)) return Promise.resolve({ ok: false });
  const pages = (data.pages || []).filter((p) => p && sameOrigin(p.url))
    .map((p) => ({ url: new URL(p.url, self.location).href, label: String(p.label || "") }));
  const scope = data.scope ? new URL(data.scope, self.location).href : "";
  const assets = (data.assets || []).filter(sameOrigin).map((u) => new URL(u, self.location).href);
  const mine = PAGES + data.user;
  return readMeta().then((meta) => {
    // Another user's pages never outlive the arrival of the next one.
    const reset = meta.user && meta.user !== data.user ? forgetPages() : Promise.resolve();
    return reset.then(() => {
      const others = meta.user === data.user
        ? (meta.pages || []).filter((p) => !scope || !p.url.startsWith(scope)) : [];
      return writeMeta({ user: data.user, pages: others.concat(pages) });
    });
  }).then(() => caches.open(mine)).then((cache) => cache.keys().then((requests) => {
    // Within the page's scope (its organization), pages no longer asked for are dropped.
    const wanted = new Set(pages.map((p) => p.url));
    const stale = requests.filter((r) => scope && r.url.startsWith(scope) && !wanted.has(r.url));
    return Promise.all(stale.map((r) => cache.delete(r))).then(() => Promise.all(
      pages.map((p) => cache.match(p.url).then((hit) => {
        const at = hit ? Number(hit.headers.get("X-Pdca-Kept-At") || 0) : 0;
        const force = (data.refresh || []).some((u) => new URL(u, self.location).href === p.url);
        return hit && !force && Date.now() - at < FRESH_MS ? true : fetchAndKeep(mine, p.url);
      }))
    ));
  })).then((pageResults) => caches.open(ASSETS).then((cache) => Promise.all(
    assets.map((url) => cache.match(url).then((hit) => hit ? true : fetchAndKeep(ASSETS, url)))
  )).then((assetResults) => ({
    ok: pageResults.concat(assetResults).every(Boolean),
    pages: pageResults.filter(Boolean).length,
  })));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const reply = (answer) => {
    if (event.ports && event.ports[0]) event.ports[0].postMessage(answer);
  };
  if (data.type === "keep") event.waitUntil(keep(data).then(reply, () => reply({ ok: false })));
  else if (data.type === "forget") event.waitUntil(forgetPages().then(() => reply({ ok: true })));
});

/* ---- answering ---- */
function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
  });
}
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}
function offlinePage(meta) {
  const t = CONFIG.texts;
  const links = (meta.user ? meta.pages || [] : []).map((p) =>
    `<li><a href="${escapeHtml(p.url)}">${escapeHtml(p.label || p.url)}</a></li>`).join("");
  const css = CONFIG.stylesheets.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join("");
  const html = `<!doctype html><html lang="${escapeHtml(CONFIG.language)}" data-theme="light"><head>`
    + `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${escapeHtml(t.title)} · pdca</title>${css}</head>`
    + `<body><main class="container" id="main"><h1>${escapeHtml(t.title)}</h1>`
    + `<p>${escapeHtml(t.explain)}</p>`
    + (links ? `<p>${escapeHtml(t.kept)}</p><ul>${links}</ul>` : `<p>${escapeHtml(t.none)}</p>`)
    + `</main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'",
    },
  });
}

function navigate(event, request) {
  return readMeta().then((meta) => {
    const kept = meta.user && (meta.pages || []).some((p) => p.url === request.url);
    const mine = PAGES + meta.user;
    if (!kept) {
      return fetch(request).catch(() => readMeta().then(offlinePage));
    }
    const network = fetch(request);
    // The fresh copy replaces the kept one (not a redirect to sign-in, not an error page).
    event.waitUntil(network.then((response) => keepable(response)
      ? stamped(response.clone()).then((c) => caches.open(mine).then((cache) => cache.put(request.url, c)))
      : undefined).catch(() => undefined));
    // The page from the network, unless the network is gone or too slow.
    return withTimeout(network, NETWORK_WAIT_MS).catch(() =>
      caches.open(mine).then((cache) => cache.match(request.url)).then((hit) =>
        hit || network.catch(() => offlinePage(meta))
      )
    );
  });
}

function asset(event, request) {
  return caches.open(ASSETS).then((cache) => cache.match(request).then((hit) => {
    if (!hit) return fetch(request);
    // Served from the device at once, refreshed for next time (files without a hashed name).
    event.waitUntil(fetch(request).then((response) => {
      if (keepable(response)) return cache.put(request, response);
      return undefined;
    }).catch(() => undefined));
    return hit;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (request.method === "POST" && CONFIG.signPaths.some((p) => url.pathname.startsWith(p))) {
      // Signing in or out: the pages kept on this device belong to nobody any more.
      event.waitUntil(forgetPages());
      return;
    }
    if (request.method !== "GET" || CONFIG.passPaths.some((p) => url.pathname.startsWith(p))) return;
    event.respondWith(navigate(event, request));
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(asset(event, request));
  }
});
