// qingdan preview: cut each document's flow into A4 pages, switch between the HTML pages
// and LibreOffice's page images, and update the page when the server says the sources
// changed (server-sent events). Text arrives already escaped; this script only moves the
// server's elements around and never builds markup from strings.
"use strict";

const MM = 96 / 25.4; // CSS pixels per millimetre

// --- pages ---------------------------------------------------------------------------

function gridOf(flow) {
  const landscape = flow.classList.contains("qd-landscape");
  const pitch = parseFloat(getComputedStyle(flow).lineHeight);
  const block = (landscape ? 156 : 225) * MM;
  const lines = Math.floor(block / pitch + 0.01);
  return { landscape, pitch, page: lines * pitch };
}

function topIn(flow, el) {
  return el.getBoundingClientRect().top - flow.getBoundingClientRect().top;
}

// Move blocks so that no line is cut by a page edge: a paragraph that crosses one moves
// down by the part of a line that would be cut, a table row moves to the next page (the
// header row repeated), a new-page block starts the next page, and the end block (版记)
// sits at the foot of the last page.
function settle(flow, grid) {
  const next = (y) => Math.ceil((y - 0.5) / grid.page) * grid.page;
  for (const el of flow.querySelectorAll("p, tr, .qd-end")) {
    if (el.closest(".qd-end") && el.tagName === "P") continue;
    const top = topIn(flow, el);
    const height = el.getBoundingClientRect().height;
    if (el.classList.contains("qd-newpage") && top > 0.5) {
      const gap = next(top) - top;
      if (gap > 0.5) el.style.marginTop = `${gap}px`;
      continue;
    }
    if (el.classList.contains("qd-bottom")) {
      let end = next(top + height);
      if (end - height < top - 0.5) end += grid.page;
      el.style.marginTop = `${end - height - top}px`;
      continue;
    }
    const edge = next(top + 0.5);
    if (!(top < edge - 0.5 && top + height > edge + 0.5)) continue;
    if (el.tagName === "TR") {
      const table = el.closest("table");
      const head = table.querySelector("thead tr");
      const spacer = document.createElement("tr");
      spacer.className = "qd-spacer";
      const cell = document.createElement("td");
      cell.colSpan = [...(head || table.rows[0]).cells].reduce((n, c) => n + c.colSpan, 0);
      cell.style.height = `${edge - top + 1}px`; // its rule falls on the next page
      spacer.appendChild(cell);
      el.before(spacer);
      if (head) el.before(head.cloneNode(true));
    } else {
      const cut = (edge - top) % grid.pitch;
      if (cut > 0.5 && grid.pitch - cut > 0.5) el.style.marginTop = `${cut}px`;
    }
  }
}

function paginate(stage) {
  const measure = stage.querySelector(".qv-measure");
  const pages = stage.querySelector(".qv-pages");
  const flow = measure && measure.querySelector(".qd-flow");
  if (!flow || !pages) return;
  measure.classList.add("qv-measuring");
  // A notice whose signature would stand alone gets another line pitch (layout.notice).
  for (const part of flow.querySelectorAll("[data-pitch]")) {
    part.style.setProperty("--qd-pitch", `${part.dataset.pitch}pt`);
    part.style.lineHeight = `${part.dataset.pitch}pt`;
  }
  const grid = gridOf(flow);
  settle(flow, grid);
  const count = Math.max(1, Math.ceil((flow.getBoundingClientRect().height - 0.5) / grid.page));
  pages.replaceChildren();
  for (let k = 0; k < count; k++) {
    const sheet = document.createElement("div");
    sheet.className = grid.landscape ? "qd-page qd-landscape" : "qd-page";
    const block = document.createElement("div");
    block.className = "qd-block";
    block.style.height = `${grid.page}px`;
    const copy = flow.cloneNode(true);
    copy.style.top = `${-k * grid.page}px`;
    copy.setAttribute("aria-hidden", k === 0 ? "false" : "true");
    block.appendChild(copy);
    const folio = document.createElement("div");
    folio.className = `qd-folio ${k % 2 === 0 ? "qd-odd" : "qd-even"}`;
    folio.textContent = `— ${k + 1} —`;
    sheet.append(block, folio);
    pages.appendChild(sheet);
  }
  measure.classList.remove("qv-measuring");
  measure.hidden = true;
  stage.dataset.pages = String(count);
}

// --- view and zoom -------------------------------------------------------------------

function applyView(stage) {
  const chosen = localStorage.getItem("qv-view") || "auto";
  const ready = stage.dataset.images === "ready";
  const images = chosen === "images" || (chosen === "auto" && ready);
  stage.classList.toggle("qv-show-images", images && ready);
  stage.classList.toggle("qv-show-html", !(images && ready));
  for (const button of document.querySelectorAll(".qv-views button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === chosen));
  }
}

function applyZoom(stage) {
  const select = document.querySelector(".qv-zoom");
  const chosen = localStorage.getItem("qv-zoom") || "fit";
  if (select) select.value = chosen;
  let zoom = parseFloat(chosen);
  if (chosen === "fit") {
    const wide = stage.querySelector(".qd-landscape") ? 297 : 210;
    zoom = Math.min(1, (stage.clientWidth - 24) / (wide * MM + 2));
  }
  for (const part of stage.querySelectorAll(".qv-pages, .qv-images")) {
    part.style.zoom = String(zoom > 0 ? zoom : 1);
  }
}

function setUp() {
  const stage = document.querySelector(".qv-stage");
  if (!stage) return;
  const go = () => {
    paginate(stage);
    applyView(stage);
    applyZoom(stage);
  };
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(go);
  else go();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest(".qv-views button");
  if (!button) return;
  localStorage.setItem("qv-view", button.dataset.view);
  const stage = document.querySelector(".qv-stage");
  if (stage) applyView(stage);
});

document.addEventListener("change", (event) => {
  if (!event.target.matches(".qv-zoom")) return;
  localStorage.setItem("qv-zoom", event.target.value);
  const stage = document.querySelector(".qv-stage");
  if (stage) applyZoom(stage);
});

window.addEventListener("resize", () => {
  const stage = document.querySelector(".qv-stage");
  if (stage) applyZoom(stage);
});

// --- live updates --------------------------------------------------------------------

const REGIONS = ["qv-status", "qv-nav", "qv-problems"];

function openDetails() {
  return new Set([...document.querySelectorAll("details[data-key]")]
    .filter((d) => d.open).map((d) => d.dataset.key));
}

// The run's token: the server does work that writes or starts a program (LibreOffice, a
// revision taken out of git) only for a request that carries it or that the browser marks
// as this page's own.
function token() {
  const meta = document.querySelector('meta[name="qingdan-token"]');
  return meta ? meta.content : "";
}

async function reload(withMain) {
  const opened = openDetails();
  const response = await fetch(location.href, {
    cache: "no-store", headers: { "X-Qingdan-Token": token() } });
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  const regions = withMain ? [...REGIONS, "qv-main"] : REGIONS;
  for (const id of regions) {
    const now = document.getElementById(id);
    const then = fresh.getElementById(id);
    if (!now || !then) continue;
    now.className = then.className;
    now.replaceChildren(...then.childNodes);
  }
  for (const d of document.querySelectorAll("details[data-key]")) {
    if (opened.has(d.dataset.key)) d.open = true;
  }
  for (const key of ["generation", "version"]) {
    if (fresh.body.dataset[key] !== undefined) document.body.dataset[key] = fresh.body.dataset[key];
  }
  if (withMain) setUp();
  document.body.dataset.updated = String(Date.now());
}

function listen() {
  const events = new EventSource("/events");
  const doc = () => document.body.dataset.doc;
  events.addEventListener("hello", (event) => {
    const data = JSON.parse(event.data);
    if (String(data.generation) !== document.body.dataset.generation) reload(true);
  });
  events.addEventListener("checking", () => {
    const status = document.getElementById("qv-status");
    if (status) {
      status.className = "qv-status qv-busy";
      status.textContent = "正在检查……";
    }
  });
  events.addEventListener("update", (event) => {
    const data = JSON.parse(event.data);
    const mine = doc() === undefined || data.changed.includes(doc());
    reload(mine);
  });
  events.addEventListener("pages", (event) => {
    const data = JSON.parse(event.data);
    const stage = document.querySelector(".qv-stage");
    if (stage && stage.dataset.key === data.key) reload(true);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUp();
  listen();
  // Opened from elsewhere (the server could not tell it was this page's): ask once more.
  const stage = document.querySelector(".qv-stage");
  if (stage && stage.dataset.images === "ask") reload(true);
});
