// The bureau's board: charts by week or month, drill-down by place, idle villages, the staff
// scoreboard and one item's path. Every number comes from /board/api/*; the session cookie says who
// is looking and the server filters what they may see. Nothing is computed here but formatting.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { node: null, code: "", charts: [] };
const COLORS = ["#0b4f8a", "#b71c1c", "#2f855a", "#8d2a0b", "#6b46c1", "#b7791f"];

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== "") node.textContent = text;
  return node;
}

function periodQuery() {
  const params = new URLSearchParams();
  if ($("from").value) params.set("from", $("from").value);
  if ($("to").value) params.set("to", $("to").value);
  return params;
}

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (response.status === 401) { location.href = "/board/login"; throw new Error("请先登录"); }
  const data = await response.json();
  if (!response.ok) throw new Error(data.detail || "查询失败");
  return data;
}

function renderTable(target, table, onOpen) {
  const box = $(target);
  box.replaceChildren();
  if (!table.rows.length) { box.append(el("div", { class: "empty" }, "暂无数据")); return; }
  const t = el("table", { "data-table": table.name });
  const head = el("tr");
  for (const [, label] of table.columns) head.append(el("th", {}, label));
  t.append(head);
  for (const row of table.rows) {
    const tr = el("tr");
    table.columns.forEach(([key], index) => {
      const value = row[key] === null || row[key] === undefined ? "" : String(row[key]);
      const td = el("td");
      if (index === 0 && onOpen && row.id !== undefined && row.kind !== undefined) {
        const button = el("button", { class: "open", type: "button", "data-node": String(row.id) }, value);
        button.addEventListener("click", () => onOpen(row.id));
        td.append(button);
      } else td.textContent = value;
      tr.append(td);
    });
    t.append(tr);
  }
  box.append(t);
}

function exportLinks(name, params) {
  for (const box of document.querySelectorAll(`.exports[data-table="${name}"]`)) {
    box.replaceChildren();
    for (const [fmt, label] of [["csv", "导出CSV"], ["xlsx", "导出Excel"]]) {
      box.append(el("a", { href: `/board/export/${name}.${fmt}?${params}`, class: `export-${fmt}`, download: "" }, label));
    }
  }
}

function chartValue(value, unit) {
  if (value === null || value === undefined) return null;
  return unit === "rate" ? Math.round(value * 1000) / 10 : Math.round(value * 10) / 10;
}

async function loadTrends() {
  const grain = $("grain").value;
  const data = await getJson(`/board/api/trends?grain=${grain}&count=12`);
  for (const chart of state.charts) chart.destroy();
  state.charts = [];
  const box = $("charts");
  box.replaceChildren();
  $("uncharted").textContent = "本系统尚未记录、暂不画图的参照：" +
    data.uncharted_references.map((r) => `${r.label}（${r.value}）`).join("，") + "。";
  data.series.forEach((series, index) => {
    const unit = series.unit === "rate" ? "%" : series.unit === "days" ? "天" : "";
    const card = el("div", { class: "chart", "data-key": series.key });
    card.append(el("h3", {}, series.label + (unit ? `（${unit}）` : "")));
    const holder = el("div", { class: "canvas" });
    const canvas = el("canvas", { role: "img", "aria-label": series.label });
    holder.append(canvas);
    card.append(holder);
    box.append(card);
    const datasets = [{ label: series.label, data: series.values.map((v) => chartValue(v, series.unit)),
      borderColor: COLORS[index % COLORS.length], backgroundColor: COLORS[index % COLORS.length], spanGaps: false, tension: 0.2 }];
    for (const ref of series.references) {
      datasets.push({ label: ref.label, data: series.values.map(() => chartValue(ref.value, series.unit)),
        borderColor: "#9aa5b1", borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 });
    }
    state.charts.push(new Chart(canvas, {
      type: "line", data: { labels: data.labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } } },
        scales: { y: { beginAtZero: true, ...(series.unit === "rate" ? { max: 100 } : {}),
          ...(series.unit === "count" ? { ticks: { precision: 0 } } : {}) } } },
    }));
  });
  box.dataset.series = String(data.series.length);
  exportLinks("trends", new URLSearchParams({ grain }));
}

async function loadDrill(node) {
  state.node = node;
  const params = periodQuery();
  if (node !== null) params.set("node", node);
  const data = await getJson(`/board/api/drill?${params}`);
  const crumbs = $("crumbs");
  crumbs.replaceChildren();
  data.path.forEach((step, index) => {
    if (index) crumbs.append(" › ");
    if (index === data.path.length - 1) crumbs.append(el("strong", {}, step.name));
    else {
      const button = el("button", { type: "button" }, step.name);
      button.addEventListener("click", () => loadDrill(step.id).catch(show));
      crumbs.append(button);
    }
  });
  const canOpen = data.node.kind !== "village";
  renderTable("drill", data.table, canOpen ? (id) => loadDrill(id).catch(show) : null);
  $("drill").dataset.kind = data.node.kind;
  exportLinks("drill", params);
}

async function loadTable(name, target, extra = {}) {
  const params = periodQuery();
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const data = await getJson(`/board/api/table/${name}?${params}`);
  renderTable(target, data);
  exportLinks(name, params);
  return data;
}

async function loadItem(event) {
  event.preventDefault();
  const code = $("code").value.trim();
  try {
    const data = await getJson(`/board/api/item/${encodeURIComponent(code)}`);
    const item = data.item;
    $("item-summary").textContent = `${item.code} · ${item.kind}${item.title ? " · " + item.title : ""} · ` +
      `发起：${item.origin} · 提交于 ${item.created} · ${item.status}${item.closed ? "（结束于 " + item.closed + "）" : ""}`;
    renderTable("item", data.table);
    exportLinks("item", new URLSearchParams({ code }));
  } catch (error) {
    $("item-summary").textContent = error.message;
    $("item").replaceChildren();
  }
}

function show(error) { $("status").textContent = error.message; }

async function loadAll() {
  $("status").textContent = "";
  await Promise.all([loadTrends(), loadDrill(state.node), loadTable("scoreboard", "scoreboard"),
    loadTable("idle", "idle").then((data) => { $("idle-title").firstChild.textContent = data.title + " "; })]);
  document.body.dataset.loaded = "1";
}

async function start() {
  const me = await getJson("/board/api/me");
  $("who").textContent = `${me.name} · ${me.role_label}`;
  document.body.dataset.role = me.role;
  $("period").addEventListener("submit", (event) => { event.preventDefault(); loadAll().catch(show); });
  $("grain").addEventListener("change", () => loadTrends().catch(show));
  $("item-form").addEventListener("submit", loadItem);
  await loadAll();
}

start().catch(show);
