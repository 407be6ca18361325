// rasd analyst page. Plain ES module, no build step. Article text and every value from the API are
// UNTRUSTED: they reach the page only through textContent / DOM nodes (never innerHTML).
/* global L */

const TYPE_COLORS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#1f77b4",
};
const OTHER_COLOR = "#7f8c8d";
const MODALITY_AR = { claimed: "ادعاء", alleged: "مزعوم", denied: "نفي", reported: "" };
const KIND_ORDER = ["trigger", "number", "date", "place", "actor", "source"];
const KIND_LABEL = { actor: "actor", place: "place", date: "date", number: "number", trigger: "trigger", source: "source", evidence: "evidence" };
const FIELDS = [
  "event_type", "sub_event_type", "plover", "event_date", "date_end", "time_precision",
  "actor1", "actor2", "inter1", "inter2", "actor1_ar", "actor2_ar", "location", "location_ar",
  "country", "admin1", "admin2", "pcode", "latitude", "longitude", "geo_precision",
  "fatalities", "wounded", "captured", "civilian_targeting", "modality", "attributed_to",
];

const state = {
  config: null,
  events: [],        // all events matching the non-date filters (the timeline's context)
  shown: [],         // events after the date brush
  listLimit: 100,
  brush: null,       // [since, until] ISO dates from the timeline
  current: null,     // {doc, eventId}
  token: sessionStorage.getItem("rasd.token") || "",
  reviewer: sessionStorage.getItem("rasd.reviewer") || "",
};

// ---------- tiny DOM helpers (text only) ----------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = String(v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
const $ = (sel) => document.querySelector(sel);
const colorOf = (t) => TYPE_COLORS[t] || OTHER_COLOR;
const radiusOf = (f) => Math.min(24, 6 + 3 * Math.sqrt(Math.max(0, f || 0)));
const fmt = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));

async function api(path, opts = {}) {
  const headers = Object.assign({ "Accept": "application/json" }, opts.headers || {});
  const res = await fetch(path, Object.assign({}, opts, { headers }));
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const msg = (body.error && body.error.message) || res.statusText;
    throw new Error(`${res.status} ${msg}`);
  }
  return body;
}

function toast(message, kind = "info") {
  const t = el("div", { class: `toast ${kind}`, role: "status", text: message });
  document.body.append(t);
  setTimeout(() => t.remove(), 4000);
}

// ---------- filters ----------
// the filters the form holds (besides the dates); all of them live in the page's URL too (#16)
const FILTER_NAMES = ["type", "sub_type", "actor", "country", "admin1", "near", "modality", "text", "min_fatalities"];

function filterParams({ withDates = true } = {}) {
  const form = $("#filters");
  const p = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const v = form.elements[name].value.trim();
    if (v) p.set(name, v);
  }
  if (withDates) {
    const since = form.elements.since.value, until = form.elements.until.value;
    if (since) p.set("since", since);
    if (until) p.set("until", until);
  }
  return p;
}

// filters in the URL: an analyst can share or bookmark a view (#16)
function syncUrl() {
  const q = filterParams().toString();
  const url = location.pathname + (q ? "?" + q : "") + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
}

function readUrl() {
  const form = $("#filters");
  const p = new URLSearchParams(location.search);
  for (const name of [...FILTER_NAMES, "since", "until"]) {
    const v = p.get(name);
    if (v === null) continue;
    const input = form.elements[name];
    if (input.tagName === "SELECT" && ![...input.options].some((o) => o.value === v)) {
      input.append(el("option", { value: v, text: v }));  // a value the corpus summary did not list
    }
    input.value = v;
  }
  if (form.elements.near.value) {  // a radius from a shared link: say so (the chip clears it)
    const chip = $("#near-chip");
    chip.querySelector("span").textContent = `within ${form.elements.near.value.split(",")[2] || 25} km of ${form.elements.near.value.split(",").slice(0, 2).join(", ")}`;
    chip.hidden = false;
  }
}

function updateDownloads() {
  syncUrl();
  const q = filterParams().toString();
  $("#dl-geojson").href = "/api/events.geojson" + (q ? "?" + q : "");
  $("#dl-csv").href = "/api/events.csv" + (q ? "?" + q : "");
}

let loadSeq = 0;
async function loadEvents() {
  const p = filterParams({ withDates: false });
  p.set("limit", "5000");
  p.set("include_rejected", "true");
  const seq = ++loadSeq;  // a slower earlier answer must not overwrite a newer one
  document.body.dataset.loading = "1";
  $("#count").textContent = "Loading…";
  let body;
  try {
    body = await api("/api/events?" + p.toString());
  } catch (e) {
    if (seq === loadSeq) { delete document.body.dataset.loading; $("#count").textContent = "could not load events"; }
    throw e;
  }
  if (seq !== loadSeq) return;
  delete document.body.dataset.loading;
  state.events = body.items;
  state.truncated = body.total > body.items.length ? body.total : 0;
  const actors = new Map();
  for (const e of state.events) for (const a of [e.actor1, e.actor2]) if (a) actors.set(a, (actors.get(a) || 0) + 1);
  $("#actor-list").replaceChildren(...[...actors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 100).map(([a]) => el("option", { value: a })));
  applyDates();
}

function applyDates() {
  const form = $("#filters");
  const since = form.elements.since.value, until = form.elements.until.value;
  state.shown = state.events.filter((e) => {
    const s = e.event_date || "", end = e.date_end || s;
    if (since && (!end || end < since)) return false;
    if (until && (!s || s > until)) return false;
    return true;
  });
  state.listLimit = 100;
  // counts leave out what analysts rejected (still drawn, faded, so a rejection can be undone)
  const live = (list) => list.filter((e) => e.review_status !== "rejected").length;
  const shown = live(state.shown), all = live(state.events), rejected = state.shown.length - shown;
  $("#count").textContent = (state.shown.length === state.events.length ? `${shown} event${shown === 1 ? "" : "s"}` : `${shown} of ${all} events`) +
    (rejected ? ` (+${rejected} rejected)` : "") +
    (state.truncated ? ` (newest ${state.events.length} of ${state.truncated}: narrow the filters)` : "");
  document.body.dataset.count = String(shown);
  updateDownloads();
  drawMarkers();
  drawList();
  drawTimeline();
}

async function initFilters() {
  const [types, admin1, subTypes, countries] = await Promise.all(
    ["type", "admin1", "sub_type", "country"].map((by) => api(`/api/stats?by=${by}`)));
  const typeSel = $("#filters").elements.type;
  const known = new Set(types.items.map((r) => r.key));
  for (const t of Object.keys(TYPE_COLORS)) known.add(t);
  for (const t of known) {
    if (!t) continue;
    const n = (types.items.find((r) => r.key === t) || { events: 0 }).events;
    typeSel.append(el("option", { value: t, text: `${t} (${n})` }));
  }
  const admSel = $("#filters").elements.admin1;
  for (const r of admin1.items) if (r.key) admSel.append(el("option", { value: r.key, text: `${r.key} (${r.events})` }));
  for (const [name, stats] of [["sub_type", subTypes], ["country", countries]]) {
    const sel = $("#filters").elements[name];
    for (const r of stats.items) if (r.key) sel.append(el("option", { value: r.key, text: `${r.key} (${r.events})` }));
  }
  readUrl();

  let timer = null;
  const form = $("#filters");
  form.addEventListener("input", (ev) => {
    const name = ev.target.name;
    if (name === "since" || name === "until") { state.brush = null; applyDates(); return; }
    clearTimeout(timer);
    timer = setTimeout(() => loadEvents().catch((e) => toast(e.message, "error")), 250);
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  // #16: the button was id="reset", which shadowed HTMLFormElement.reset ("form.reset is not a function")
  $("#reset-filters").addEventListener("click", () => {
    form.reset(); form.elements.near.value = ""; state.brush = null;
    if (state.clearNear) state.clearNear();
    loadEvents().catch((e) => toast(e.message, "error"));
  });
}

// ---------- map ----------
let map, clusters, selectedRing = null, markerById = new Map();
const countryOutline = new Map(); // rasd's English country name -> its outline layer (Natural Earth admin 0)

async function initMap() {
  // min zoom 2: the whole world, whose country outlines ship (events can be anywhere from Washington to Beijing)
  map = L.map("map", { zoomControl: true, attributionControl: true, zoomSnap: 0.25, minZoom: 2, maxZoom: 13 });
  map.attributionControl.setPrefix(false);
  window.rasdMap = map; // read by the browser tests (the view must fit the events)
  if (state.config.tiles) {
    L.tileLayer(state.config.tiles, { attribution: state.config.tiles_attribution || "", maxZoom: 18 }).addTo(map);
  }
  const [adm1, adm2, world] = await Promise.all([
    fetch("/static/geo/syria_admin1.geojson").then((r) => r.json()),
    fetch("/static/geo/syria_admin2.geojson").then((r) => r.json()),
    fetch("/static/geo/world_admin0.geojson").then((r) => r.json()),
  ]);
  const base = !state.config.tiles;
  // issue 15: every country's outline under Syria's governorates (Natural Earth admin 0, the whole world); each
  // path is classed by its ISO3 code, and the countries with events are drawn darker (drawMarkers)
  L.geoJSON(world, {
    style: (f) => ({
      color: "#7b8794", weight: 0.8, fillColor: base ? "#f4efe6" : "#000", fillOpacity: base ? 1 : 0.02,
      className: f.properties.iso3 ? `country country-${f.properties.iso3}` : "country",
    }),
    onEachFeature: (f, layer) => { if (f.properties.iso3) countryOutline.set(f.properties.name_en, layer); },
    interactive: false,
  }).addTo(map);
  L.geoJSON(adm2, {
    style: { color: "#9aa5b1", weight: 0.6, fill: false, dashArray: "2 3" }, interactive: false,
  }).addTo(map);
  const gov = L.geoJSON(adm1, {
    style: { color: "#52606d", weight: 1.3, fillColor: base ? "#f4efe6" : "#000", fillOpacity: base ? 1 : 0.02 },
    onEachFeature: (f, layer) => {
      const label = el("span", { class: "gov-label" },
        el("span", { lang: "ar", dir: "rtl", text: f.properties.name_ar || "" }), " ",
        el("small", { text: f.properties.name_en || "" }));
      layer.bindTooltip(label, { permanent: true, direction: "center", className: "gov-tooltip", interactive: false });
    },
  });
  gov.addTo(map);
  // issue 15: the governorates' names only where Syria is large enough for them not to overlap
  const govLabels = () => map.getContainer().classList.toggle("gov-labels-hidden", map.getZoom() < 6);
  map.on("zoomend", govLabels);
  state.bounds = gov.getBounds();
  fitView(false);
  // the layout may still be settling (fonts, wrapped top bar): fit again once it has
  setTimeout(() => { map.invalidateSize(); fitView(state.fittedToData); }, 150);
  map.attributionControl.addAttribution("Boundaries: UN OCHA 2015, Natural Earth");
  clusters = L.markerClusterGroup({
    maxClusterRadius: 36, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    iconCreateFunction: (cluster) => {
      const n = cluster.getChildCount();
      const size = n < 10 ? 30 : n < 100 ? 36 : 44;
      const div = el("div", { class: "cluster" }, el("span", { text: String(n) }));
      return L.divIcon({ html: div, className: "cluster-icon", iconSize: [size, size] });
    },
  });
  map.addLayer(clusters);
  // right-click: only events within 25 km of that point
  let nearCircle = null;
  const chip = $("#near-chip");
  const setNear = (latlng) => {
    const input = $("#filters").elements.near;
    if (nearCircle) { nearCircle.remove(); nearCircle = null; }
    if (latlng) {
      input.value = `${latlng.lat.toFixed(4)},${latlng.lng.toFixed(4)},25`;
      nearCircle = L.circle(latlng, { radius: 25000, color: "#1d3557", weight: 1.5, dashArray: "4 4", fillOpacity: 0.05, interactive: false }).addTo(map);
      chip.querySelector("span").textContent = `within 25 km of ${latlng.lat.toFixed(2)}, ${latlng.lng.toFixed(2)}`;
      chip.hidden = false;
    } else {
      input.value = "";
      chip.hidden = true;
    }
    loadEvents().catch((e) => toast(e.message, "error"));
  };
  map.on("contextmenu", (e) => setNear(e.latlng));
  chip.querySelector("button").addEventListener("click", () => setNear(null));
  state.clearNear = () => { if (nearCircle) { nearCircle.remove(); nearCircle = null; } chip.hidden = true; };
  const legend = $("#legend");
  for (const [t, c] of Object.entries(TYPE_COLORS)) {
    legend.append(el("div", {}, el("i", { style: `background:${c}` }), t));
  }
  legend.append(el("div", { class: "muted" }, "size = fatalities · dashed ring = claimed/alleged"));
}

function drawMarkers() {
  if (!clusters) return;
  clusters.clearLayers();
  markerById = new Map();
  const layers = [];
  for (const ev of state.shown) {
    if (ev.latitude === null || ev.latitude === undefined || ev.longitude === null || ev.longitude === undefined) continue;
    if (ev.review_status === "rejected") continue;
    const unsure = ev.modality && ev.modality !== "reported";
    const m = L.circleMarker([ev.latitude, ev.longitude], {
      radius: radiusOf(ev.fatalities), color: unsure ? "#222" : "#fff", weight: unsure ? 2 : 1.2,
      dashArray: unsure ? "3 3" : null, fillColor: colorOf(ev.event_type), fillOpacity: 0.85,
      className: "event-marker",
    });
    const tip = el("div", { class: "tip" },
      el("b", { text: `${fmt(ev.event_type)} · ${fmt(ev.event_date)}` }), el("br"),
      el("span", { text: `${fmt(ev.location)}${ev.fatalities ? ` · ${ev.fatalities} killed` : ""}` }),
      unsure ? el("div", { class: `badge modality ${ev.modality}`, text: ev.modality }) : null);
    m.bindTooltip(tip, { direction: "top" });
    m.on("click", () => openEvent(ev.event_id, ev.document_id));
    m.rasdEvent = ev;
    markerById.set(ev.event_id, m);
    layers.push(m);
  }
  clusters.addLayers(layers);
  const withEvents = new Set(state.shown.filter((e) => e.review_status !== "rejected").map((e) => e.country));
  for (const [name, layer] of countryOutline) {
    const path = layer.getElement && layer.getElement();
    if (path) path.classList.toggle("has-events", withEvents.has(name));
  }
  // issue 15: fit the map to the events once, on load (Yemen's and Sudan's events are not off screen)
  if (!state.fittedToData && layers.length) {
    state.fittedToData = true;
    state.bounds = clusters.getBounds().pad(0.05);
    fitView(true);
  }
}

// the view on state.bounds; the events' bounds are kept above the legend in the bottom-right corner (Aden used to
// sit under it)
function fitView(events) {
  if (!events) { map.fitBounds(state.bounds, { padding: [10, 10] }); return; }
  const legendBox = $("#legend").getBoundingClientRect(), mapBox = map.getContainer().getBoundingClientRect();
  const below = legendBox.height ? Math.max(10, mapBox.bottom - legendBox.top + 6) : 10;
  map.fitBounds(state.bounds, { paddingTopLeft: [10, 10], paddingBottomRight: [10, below], maxZoom: 9, animate: false });
}

// ---------- list ----------
function eventRow(ev) {
  const review = (ev.review || {}).status || "unreviewed";
  const li = el("li", { class: `event-row review-${review}`, tabindex: 0, dataset: { eventId: ev.event_id } },
    el("span", { class: "swatch", style: `background:${colorOf(ev.event_type)}` }),
    el("div", { class: "row-main" },
      el("div", { class: "row-head" },
        el("span", { class: "date", text: fmt(ev.event_date) }),
        el("span", { class: "type", text: ev.sub_event_type || ev.event_type || "event" }),
        ev.modality && ev.modality !== "reported" ? el("span", { class: `badge modality ${ev.modality}`, text: `${ev.modality} · ${MODALITY_AR[ev.modality] || ""}` }) : null,
        review !== "unreviewed" ? el("span", { class: `badge review ${review}`, text: review }) : null,
        ev.fatalities ? el("span", { class: "deaths", text: `✝ ${ev.fatalities}` }) : null),
      el("div", { class: "row-sub" },
        el("span", { text: [ev.location, ev.admin1].filter(Boolean).join(", ") || "place unknown" }),
        " · ",
        el("span", { text: [ev.actor1, ev.actor2].filter(Boolean).join(" vs ") || "actors unknown" })),
      el("div", { class: "row-title", dir: "auto", text: `${fmt(ev.source)} — ${fmt(ev.title)}` })));
  const open = () => openEvent(ev.event_id, ev.document_id);
  li.addEventListener("click", open);
  li.addEventListener("keydown", (k) => { if (k.key === "Enter") open(); });
  return li;
}

function drawList() {
  const ol = $("#event-list");
  ol.replaceChildren(...state.shown.slice(0, state.listLimit).map(eventRow));
  if (!state.shown.length) ol.append(el("li", { class: "muted empty", text: "No events match these filters." }));
  $("#more").hidden = state.shown.length <= state.listLimit;
}

// ---------- timeline (histogram with a brush) ----------
const DAY = 86400000;
function drawTimeline() {
  const svg = $("#histogram");
  const W = svg.clientWidth || 800, H = svg.clientHeight || 90, pad = 22;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.replaceChildren();
  const ns = "http://www.w3.org/2000/svg";
  const mk = (tag, attrs) => { const n = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v); return n; };
  const dates = state.events.map((e) => e.event_date).filter(Boolean).sort();
  if (!dates.length) { const t = mk("text", { x: 10, y: H / 2, class: "axis" }); t.textContent = "no dated events"; svg.append(t); $("#timeline-info").textContent = ""; return; }
  const [lo, hi, outliers] = robustRange(dates);
  let t0 = Date.parse(lo), t1 = Date.parse(hi) + DAY;
  if (t1 - t0 < 14 * DAY) { t0 -= 3 * DAY; t1 += 3 * DAY; }
  const span = t1 - t0;
  const binDays = span <= 150 * DAY ? 1 : span <= 3 * 365 * DAY ? 7 : 30;
  const nb = Math.ceil(span / (binDays * DAY));
  const bins = Array.from({ length: nb }, () => ({}));
  for (const e of state.events) {
    if (!e.event_date || e.event_date < lo || e.event_date > hi) continue;  // outliers: counted below the axis
    const i = Math.min(nb - 1, Math.floor((Date.parse(e.event_date) - t0) / (binDays * DAY)));
    const k = e.event_type || "other";
    bins[i][k] = (bins[i][k] || 0) + 1;
  }
  const max = Math.max(1, ...bins.map((b) => Object.values(b).reduce((a, c) => a + c, 0)));
  const x = (t) => pad + ((t - t0) / span) * (W - 2 * pad);
  const bw = Math.max(1, (W - 2 * pad) / nb - 1);
  const g = mk("g", {});
  bins.forEach((b, i) => {
    let y = H - pad;
    for (const [k, n] of Object.entries(b)) {
      const h = (n / max) * (H - pad - 8);
      const r = mk("rect", { x: x(t0 + i * binDays * DAY), y: y - h, width: bw, height: h, fill: colorOf(k), class: "bar" });
      const title = mk("title", {});
      title.textContent = `${new Date(t0 + i * binDays * DAY).toISOString().slice(0, 10)}: ${n} ${k}`;
      r.append(title);
      g.append(r);
      y -= h;
    }
  });
  svg.append(g);
  svg.append(mk("line", { x1: pad, x2: W - pad, y1: H - pad, y2: H - pad, class: "axis-line" }));
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + (span * i) / ticks;
    const anchor = i === 0 ? "start" : i === ticks ? "end" : "middle";
    const lbl = mk("text", { x: x(t), y: H - 6, class: "axis", "text-anchor": anchor });
    lbl.textContent = new Date(t).toISOString().slice(0, 10);
    svg.append(lbl);
  }
  // brush
  const form = $("#filters");
  const sel = mk("rect", { class: "brush", y: 2, height: H - pad - 2, x: 0, width: 0, visibility: "hidden" });
  svg.append(sel);
  const toDate = (px) => new Date(t0 + ((px - pad) / (W - 2 * pad)) * span).toISOString().slice(0, 10);
  const since = form.elements.since.value, until = form.elements.until.value;
  if (since || until) {
    const a = since ? x(Date.parse(since)) : pad, b = until ? x(Date.parse(until) + DAY) : W - pad;
    sel.setAttribute("x", Math.max(pad, a)); sel.setAttribute("width", Math.max(2, Math.min(W - pad, b) - Math.max(pad, a)));
    sel.setAttribute("visibility", "visible");
  }
  let start = null;
  const px = (ev) => { const r = svg.getBoundingClientRect(); return ((ev.clientX - r.left) / r.width) * W; };
  svg.onpointerdown = (ev) => { start = Math.max(pad, Math.min(W - pad, px(ev))); svg.setPointerCapture(ev.pointerId); sel.setAttribute("x", start); sel.setAttribute("width", 0); sel.setAttribute("visibility", "visible"); };
  svg.onpointermove = (ev) => {
    if (start === null) return;
    const cur = Math.max(pad, Math.min(W - pad, px(ev)));
    sel.setAttribute("x", Math.min(start, cur)); sel.setAttribute("width", Math.abs(cur - start));
    $("#timeline-info").textContent = `${toDate(Math.min(start, cur))} → ${toDate(Math.max(start, cur))}`;
  };
  svg.onpointerup = (ev) => {
    if (start === null) return;
    const cur = Math.max(pad, Math.min(W - pad, px(ev)));
    const a = Math.min(start, cur), b = Math.max(start, cur);
    start = null;
    if (b - a < 3) return;
    form.elements.since.value = toDate(a);
    form.elements.until.value = toDate(b);
    applyDates();
  };
  svg.ondblclick = () => { form.elements.since.value = ""; form.elements.until.value = ""; applyDates(); };
  $("#timeline-info").textContent = `${state.events.length} events, ${binDays === 1 ? "daily" : binDays === 7 ? "weekly" : "monthly"} bars` +
    (outliers.length ? ` · ${outliers.length} far outside (${outliers.slice(0, 3).join(", ")}${outliers.length > 3 ? "…" : ""}) not drawn` : "") +
    " · drag to filter dates · double-click to clear";
  svg.dataset.from = lo; svg.dataset.to = hi; svg.dataset.outliers = String(outliers.length);
}

// The timeline's date range: every date, unless a few lie far from the rest (a 1970 or 2031 typo would
// squash years of events into one bar, #16). An extreme date is left out when its gap to the next date is
// over a year and three times the span of all the others; at most 1 date in 20 (at least one) is left out,
// and those are listed under the timeline instead of drawn.
function robustRange(sorted) {
  const t = (i) => Date.parse(sorted[i]);
  let a = 0, b = sorted.length - 1;
  const budget = Math.max(1, Math.floor(sorted.length / 20));
  while (b - a >= 2 && a + (sorted.length - 1 - b) < budget) {
    const gapLo = t(a + 1) - t(a), gapHi = t(b) - t(b - 1);
    if (gapLo >= gapHi && gapLo > Math.max(365 * DAY, 3 * (t(b) - t(a + 1)))) { a++; continue; }
    if (gapHi > gapLo && gapHi > Math.max(365 * DAY, 3 * (t(b - 1) - t(a)))) { b--; continue; }
    break;
  }
  return [sorted[a], sorted[b], [...new Set([...sorted.slice(0, a), ...sorted.slice(b + 1)])]];
}

// ---------- article view ----------
function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t.id === `tab-${name}`);
}

async function openEvent(eventId, docId) {
  try {
    const doc = await api(`/api/documents/${encodeURIComponent(docId)}`);
    state.current = { doc, eventId };
    renderArticle();
    showTab("article");
    const m = markerById.get(eventId);
    if (selectedRing) { selectedRing.remove(); selectedRing = null; }
    if (m && map) {
      selectedRing = L.circleMarker(m.getLatLng(), { radius: m.getRadius() + 7, color: "#1d3557", weight: 3, fill: false, interactive: false, className: "selected-ring" }).addTo(map);
      map.setView(m.getLatLng(), Math.max(map.getZoom(), 7), { animate: true });
    }
  } catch (e) {
    toast(e.message, "error");
  }
}

function segmentText(text, spans) {
  // split the text at every span boundary; each piece knows which kinds cover it
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const pts = [...cuts].sort((a, b) => a - b);
  const frag = document.createDocumentFragment();
  for (let i = 0; i < pts.length - 1; i++) {
    const a = pts[i], b = pts[i + 1];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { frag.append(document.createTextNode(piece)); continue; }
    const kinds = new Set(covering.map((s) => s.kind));
    const main = KIND_ORDER.find((k) => kinds.has(k));
    const cls = ["hl"];
    if (main) cls.push(`hl-${main}`);
    if (kinds.has("evidence")) cls.push("hl-evidence");
    const fields = [...new Set(covering.map((s) => s.field).filter(Boolean))];
    const span = el("mark", { class: cls.join(" "), title: [...kinds].map((k) => KIND_LABEL[k] || k).join(", ") + (fields.length ? ` (${fields.join(", ")})` : ""), dataset: { kinds: [...kinds].join(" ") } });
    span.textContent = piece;
    frag.append(span);
  }
  return frag;
}

function eventCard(ev, selected, doc) {
  const review = ev.review || { status: "unreviewed", corrections: [] };
  const unsure = ev.modality && ev.modality !== "reported";
  const card = el("section", { class: `event-card${selected ? " selected" : ""} review-${review.status}${unsure ? " unsure" : ""}`, dataset: { eventId: ev.event_id } });
  card.append(el("header", {},
    el("span", { class: "swatch", style: `background:${colorOf(ev.event_type)}` }),
    el("b", { text: `${fmt(ev.event_type)} — ${fmt(ev.sub_event_type)}` }),
    unsure ? el("span", { class: `badge modality ${ev.modality}`, text: `${ev.modality.toUpperCase()} · ${MODALITY_AR[ev.modality] || ""}` }) : null,
    el("span", { class: `badge review ${review.status}`, text: review.status })));
  if (unsure) {
    card.append(el("p", { class: "claim-note", dir: "auto" },
      `This event is ${ev.modality}` + (ev.attributed_to ? " by " : ""),
      ev.attributed_to ? el("span", { lang: "ar", dir: "rtl", text: ev.attributed_to }) : null,
      ": not independently reported."));
  }
  const dl = el("dl", { class: "fields" });
  const row = (k, v, ar) => { dl.append(el("dt", { text: k }), el("dd", { dir: ar ? "rtl" : "auto", text: fmt(v) })); };
  row("date", ev.date_end && ev.date_end !== ev.event_date ? `${ev.event_date} → ${ev.date_end}` : ev.event_date);
  row("actor 1", [ev.actor1, ev.actor1_ar ? `(${ev.actor1_ar})` : ""].filter(Boolean).join(" "));
  row("actor 2", [ev.actor2, ev.actor2_ar ? `(${ev.actor2_ar})` : ""].filter(Boolean).join(" "));
  row("place", [ev.location, ev.admin1, ev.country].filter(Boolean).join(", ") + (ev.pcode ? ` [${ev.pcode}]` : ""));
  row("fatalities", ev.fatalities === null || ev.fatalities === undefined ? null : `${ev.fatalities}${ev.fatalities_text ? ` — ${ev.fatalities_text}` : ""}`);
  if (ev.wounded) row("wounded", ev.wounded);
  if (ev.captured) row("captured", ev.captured);
  if (ev.attributed_to) row("source", ev.attributed_to, true);
  card.append(dl);
  // why rasd coded it so (issue 14): trigger, the rules behind each field, the scorer's probability
  if (ev.why && Object.keys(ev.why).length) card.append(whyBox(ev.why));
  if (review.corrections && review.corrections.length) {
    const ul = el("ul", { class: "corrections" });
    for (const c of review.corrections) {
      ul.append(el("li", {}, el("b", { text: c.field }), ": ", el("del", { text: fmt(c.before) }), " → ", el("ins", { text: fmt(c.after) }), el("span", { class: "muted", text: ` — ${c.reviewer}, ${c.created_at}` })));
    }
    card.append(el("div", { class: "corr-head", text: "Corrections" }), ul);
  }
  // other sources of the same incident
  const inc = ev.incident_id;
  const others = selected && state.current.incident ? state.current.incident.events.filter((o) => o.event_id !== ev.event_id) : [];
  if (selected && others.length) {
    const ul = el("ul", { class: "sources" });
    for (const o of others) {
      ul.append(el("li", {}, el("a", { href: "#", class: "other-source", dataset: { eventId: o.event_id, docId: o.document_id }, onclick: (e) => { e.preventDefault(); openEvent(o.event_id, o.document_id); } },
        el("span", { text: fmt(o.source) }), " — ", el("span", { dir: "auto", text: fmt(o.title) })),
        o.fatalities !== null && o.fatalities !== undefined ? el("span", { class: "muted", text: ` (${o.fatalities} killed)` }) : null));
    }
    card.append(el("div", { class: "corr-head", text: `Same incident, ${others.length} other source${others.length > 1 ? "s" : ""}` }), ul);
  } else if (selected && inc) {
    card.append(el("div", { class: "muted small", text: "No other source reports this incident." }));
  }
  if (!selected) {
    card.addEventListener("click", () => { state.current.eventId = ev.event_id; renderArticle(); });
    card.title = "Show this event's evidence";
  } else if (state.config.review_enabled) {
    card.append(reviewControls(ev, doc));
  }
  return card;
}

function whyBox(why) {
  const box = el("details", { class: "why" }, el("summary", { text: "Why rasd coded this" }));
  const dl = el("dl", { class: "fields" });
  const row = (k, v) => { if (v !== undefined && v !== null && String(v) !== "") dl.append(el("dt", { text: k }), el("dd", { dir: "auto", text: String(v) })); };
  row("trigger", why.trigger);
  for (const k of ["type", "actor1", "place", "date"]) row(k, (why[k] || []).join(", "));
  const kept = why.kept || {};
  if (kept.p !== undefined) row("kept", `p ${kept.p} (threshold ${kept.threshold})`);
  if (kept.rule) row("kept", kept.rule);
  if (kept.top_features) row("weighed most", kept.top_features.map(([f, c]) => `${f} ${c > 0 ? "+" : ""}${c}`).join(" · "));
  box.append(dl);
  return box;
}

function reviewControls(ev) {
  const box = el("div", { class: "review-box" });
  if (!state.token) {
    box.append(el("button", { type: "button", text: "Sign in to review", onclick: () => $("#token-dialog").showModal() }));
    return box;
  }
  const send = async (action, changes) => {
    try {
      await api(`/api/events/${encodeURIComponent(ev.event_id)}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Authorization": `Bearer ${state.token}` },
        body: JSON.stringify({ action, changes: changes || null, reviewer: state.reviewer }),
      });
      toast(`Event ${action}ed`, "ok");
      await reloadCurrent();
      loadEvents();
    } catch (e) { toast(e.message, "error"); }
  };
  box.append(
    el("button", { type: "button", class: "ok", text: "✓ Accept", onclick: () => send("accept") }),
    el("button", { type: "button", class: "bad", text: "✗ Reject", onclick: () => send("reject") }),
    el("button", { type: "button", text: "✎ Correct…", onclick: () => form.hidden = !form.hidden }));
  const form = el("form", { class: "correct-form", hidden: true });
  for (const f of FIELDS) {
    const v = ev[f];
    const input = el("input", { name: f, value: v === null || v === undefined ? "" : String(v), dir: f.endsWith("_ar") || f === "attributed_to" ? "rtl" : "auto" });
    form.append(el("label", {}, el("span", { text: f }), input));
  }
  form.append(el("button", { type: "submit", class: "primary", text: "Save corrections" }));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const changes = {};
    for (const f of FIELDS) {
      const before = ev[f] === null || ev[f] === undefined ? "" : String(ev[f]);
      const now = form.elements[f].value;
      if (now !== before) changes[f] = now === "" ? null : now;
    }
    if (!Object.keys(changes).length) { toast("nothing changed"); return; }
    send("correct", changes);
  });
  box.append(form);
  return box;
}

async function reloadCurrent() {
  if (!state.current) return;
  state.current.doc = await api(`/api/documents/${encodeURIComponent(state.current.doc.id)}`);
  renderArticle();
}

async function renderArticle() {
  const { doc } = state.current;
  let eventId = state.current.eventId;
  if (!doc.events.some((e) => e.event_id === eventId) && doc.events.length) eventId = doc.events[0].event_id;
  state.current.eventId = eventId;
  try {
    state.current.incident = eventId ? (await api(`/api/events/${encodeURIComponent(eventId)}`)).incident : null;
  } catch { state.current.incident = null; }
  const box = $("#tab-article");
  const head = el("div", { class: "article-head" },
    el("h2", { dir: "rtl", lang: "ar", text: doc.title || doc.id }),
    el("div", { class: "meta" },
      el("span", { text: fmt(doc.source) }), " · ", el("span", { text: fmt(doc.published) }),
      doc.author ? el("span", { dir: "auto", text: ` · ${doc.author}` }) : null,
      doc.url && /^https?:\/\//i.test(doc.url) ? el("a", { href: doc.url, target: "_blank", rel: "noopener noreferrer nofollow", text: " · original" }) : null));
  const legend = el("div", { class: "hl-legend" }, ...["actor", "place", "date", "number", "trigger", "source", "evidence"].map((k) => el("mark", { class: `hl hl-${k}`, text: k })));
  // the selected event's card, then the article with its evidence, then the article's other events
  const selected = doc.events.filter((e) => e.event_id === eventId).map((e) => eventCard(e, true, doc));
  const others = doc.events.filter((e) => e.event_id !== eventId);
  const cards = el("div", { class: "cards" }, ...selected);
  const spans = (doc.spans || []).filter((s) => !s.event_id || s.event_id === eventId);
  const body = el("article", { class: "article-text", dir: "rtl", lang: "ar" });
  body.append(segmentText(doc.text || "", spans));
  const rest = others.length
    ? el("div", { class: "cards others" }, el("div", { class: "corr-head", text: `Other events in this article (${others.length})` }), ...others.map((e) => eventCard(e, false, doc)))
    : null;
  const sel = doc.events.find((e) => e.event_id === eventId);
  const first = () => body.querySelector("mark.hl-evidence");
  const bar = el("div", { class: "article-bar" },
    sel ? el("span", { class: "swatch", style: `background:${colorOf(sel.event_type)}` }) : null,
    el("b", { text: sel ? `${fmt(sel.sub_event_type || sel.event_type)} · ${fmt(sel.event_date)} · ${fmt(sel.location)}` : "no event" }),
    sel && sel.modality && sel.modality !== "reported" ? el("span", { class: `badge modality ${sel.modality}`, text: sel.modality.toUpperCase() }) : null,
    el("span", { class: "spacer" }),
    el("button", { type: "button", text: "↑ event", title: "Back to the event's fields", onclick: () => { box.scrollTop = 0; } }),
    el("button", { type: "button", text: "↓ evidence", title: "Scroll to the evidence in the article", onclick: () => { const m = first(); if (m) m.scrollIntoView({ block: "center" }); } }));
  box.replaceChildren(bar, head, cards, legend, body, rest || "");
  box.scrollTop = 0;
  const m = first();
  // keep the event card in view when the evidence is on the first screen; otherwise go to the evidence
  if (m && m.getBoundingClientRect().bottom > box.getBoundingClientRect().bottom) m.scrollIntoView({ block: "center" });
}

// ---------- reviews tab ----------
async function loadReviews() {
  const ol = $("#review-list");
  try {
    const body = await api("/api/reviews?limit=200");
    ol.replaceChildren(...body.items.map((r) => el("li", {},
      el("span", { class: `badge review ${r.action === "accept" ? "accepted" : r.action === "reject" ? "rejected" : "corrected"}`, text: r.action }), " ",
      el("a", { href: "#", text: r.event_id, onclick: (e) => { e.preventDefault(); const ev = state.events.find((x) => x.event_id === r.event_id); if (ev) openEvent(ev.event_id, ev.document_id); } }),
      r.field ? el("span", {}, " ", el("b", { text: r.field }), ": ", el("del", { text: fmt(r.before) }), " → ", el("ins", { text: fmt(r.after) })) : null,
      el("div", { class: "muted", text: `${r.reviewer} · ${r.created_at}` }))));
    if (!body.items.length) ol.append(el("li", { class: "muted", text: "No reviews yet." }));
  } catch (e) { toast(e.message, "error"); }
}

// ---------- analyst sign-in ----------
function initAnalyst() {
  const btn = $("#analyst");
  const dlg = $("#token-dialog");
  const refresh = () => {
    btn.textContent = !state.config.review_enabled ? "Read-only" : state.token ? `Analyst: ${state.reviewer}` : "Analyst sign-in";
    btn.disabled = !state.config.review_enabled;
    btn.title = state.config.review_enabled ? "Analyst token for reviews" : "Server started without --token: reviews disabled";
  };
  refresh();
  btn.addEventListener("click", () => { dlg.querySelector("[name=reviewer]").value = state.reviewer; dlg.showModal(); });
  dlg.addEventListener("close", () => {
    const f = dlg.querySelector("form");
    if (dlg.returnValue === "ok") {
      state.token = f.elements.token.value; state.reviewer = f.elements.reviewer.value.trim();
      sessionStorage.setItem("rasd.token", state.token); sessionStorage.setItem("rasd.reviewer", state.reviewer);
    } else if (dlg.returnValue === "signout") {
      state.token = ""; sessionStorage.removeItem("rasd.token");
    }
    f.elements.token.value = "";
    refresh();
    if (state.current) renderArticle();
  });
}

// ---------- start ----------
async function main() {
  state.config = await api("/api/config");
  const stale = (state.config.summary || {}).needs_rereview || 0;
  if (stale) toast(`${stale} review(s) need re-review: their article changed and the reviewed event is gone (see an article's panel)`, "error");
  for (const b of document.querySelectorAll(".tabs button")) {
    b.addEventListener("click", () => { showTab(b.dataset.tab); if (b.dataset.tab === "reviews") loadReviews(); });
  }
  $("#more").addEventListener("click", () => { state.listLimit += 200; drawList(); });
  initAnalyst();
  await initMap();
  await initFilters();
  await loadEvents();
  window.addEventListener("resize", () => drawTimeline());
  document.body.dataset.ready = "1";
}

main().catch((e) => { toast(`rasd: ${e.message}`, "error"); document.body.dataset.ready = "error"; });
