// The bureau's dashboard: asks for the admin token once (or takes it from #token=...), keeps it in
// sessionStorage, and renders /api/metrics. Every number comes from the server; nothing is computed here
// but formatting.
"use strict";

const KEY = "jobmatrix.adminToken";
const $ = (id) => document.getElementById(id);
let timezone = "Asia/Shanghai";

function takeTokenFromFragment() {
  const match = location.hash.match(/token=([^&]+)/);
  if (!match) return;
  sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
  // Drop the token from the address bar so it is not bookmarked, shared or left in history.
  history.replaceState(null, "", location.pathname + location.search);
}

function formatValue(head) {
  if (head.value === null || head.value === undefined) return head.note || "暂无数据";
  if (head.unit === "rate") return (head.value * 100).toFixed(1) + "%";
  if (head.unit === "days") return head.value.toFixed(1) + " 天";
  return String(head.value);
}

function rate(value) {
  return value === null || value === undefined ? "暂无数据" : (value * 100).toFixed(1) + "%";
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== "") node.textContent = text;
  return node;
}

function renderCard(head) {
  const card = el("div", { class: "card " + head.status, "data-key": head.key });
  card.append(el("div", { class: "label" }, head.label));
  card.append(el("div", { class: "value", "data-value": head.value === null ? "" : String(head.value) }, formatValue(head)));
  if (head.unit === "rate" && head.denominator !== null) {
    const open = head.open ? `，另有 ${head.open} 条尚在时限内` : "";
    card.append(el("div", { class: "counts" }, `${head.numerator} / ${head.denominator}${open}`));
    if (head.confirmed !== undefined) {
      card.append(el("div", { class: "states" },
        `已确认 ${head.confirmed} · 等待群主确认 ${head.awaiting} · 未送达 ${head.missed}`));
    }
  } else if (head.key === "recruitment_cycle_days" && head.denominator) {
    card.append(el("div", { class: "counts" }, `共 ${head.denominator} 个岗位`));
  }
  if (head.baseline) card.append(el("div", { class: "baseline" }, "参照 " + head.baseline));
  const details = el("details");
  details.append(el("summary", {}, "口径"), el("div", {}, head.definition));
  card.append(details);
  return card;
}

function table(rows, columns) {
  if (!rows.length) return el("div", { class: "empty" }, "暂无数据");
  const t = el("table");
  const head = el("tr");
  for (const [, label] of columns) head.append(el("th", {}, label));
  t.append(head);
  for (const row of rows) {
    const tr = el("tr");
    for (const [name, , format] of columns) {
      const value = format ? format(row[name], row) : row[name];
      tr.append(el("td", {}, value === null || value === undefined ? "" : String(value)));
    }
    t.append(tr);
  }
  return t;
}

const ROLES = { township_steward: "信息管家", backup_steward: "备岗管家" };
const TABLES = {
  townships: [["name", "乡镇"], ["on_time_rate", "30分钟及时率", rate], ["hops", "需审批转译", (v, r) => `${r.hops_on_time} / ${v}`],
    ["same_day_rate", "村级当日送达率", rate], ["village_posts", "村群发送", (v, r) => `${r.village_same_day} / ${v}`],
    ["village_confirmed", "已确认"], ["village_awaiting", "等待群主确认"], ["village_missed", "未送达"],
    ["coverage", "岗位覆盖率", rate], ["villages", "收到招聘的村", (v, r) => `${r.villages_reached} / ${v}`]],
  employers_by_month: [["month", "月份"], ["employers", "企业数"], ["partial", "", (v) => (v ? "（不足整月）" : "")]],
  staff: [["township", "乡镇"], ["name", "姓名"], ["role", "岗位", (v) => ROLES[v] || v], ["decisions", "处理"],
    ["on_time", "按时"], ["approved", "通过"], ["rejected", "驳回"], ["timeouts_in_township", "本乡镇超时通过"],
    ["escalations_in_township", "本乡镇超时上报"]],
  deliveries: [["channel", "渠道"], ["sent", "已发送"], ["awaiting", "等待群主确认"], ["failed", "失败"], ["pending", "待发送"], ["cancelled", "已取消"]],
  delivery_errors: [["channel", "渠道"], ["errcode", "错误码"], ["count", "次数"]],
  inbound: [["channel", "渠道"], ["count", "条数"]],
  rejected_callbacks: [["channel", "渠道"], ["code", "代码"], ["reason", "原因"], ["count", "次数"]],
  api_calls: [["api", "接口"], ["errcode", "错误码"], ["count", "次数"]],
};

function render(data) {
  timezone = data.period.timezone;
  $("from").value = data.period.from;
  $("to").value = data.period.to;
  $("period-text").textContent = `统计期间：${data.period.from} 至 ${data.period.to}（${data.period.timezone}，含首尾两天）；生成于 ${new Date(data.generated_at).toLocaleString("zh-CN", { timeZone: timezone })}`;
  $("headline").replaceChildren(...data.headline.map(renderCard));
  for (const [key, columns] of Object.entries(TABLES)) $(key).replaceChildren(table(data[key], columns));
  $("board").hidden = false;
  $("login").hidden = true;
  document.body.dataset.loaded = data.period.from + "/" + data.period.to;
}

function showLogin(message) {
  $("board").hidden = true;
  $("login").hidden = false;
  $("status").textContent = message || "";
}

async function call(path) {
  const token = sessionStorage.getItem(KEY);
  if (!token) { showLogin(); return null; }
  const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
  if (response.status === 401) { sessionStorage.removeItem(KEY); showLogin("管理令牌无效，请重新输入。"); return null; }
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    $("status").textContent = body.detail || `请求失败（HTTP ${response.status}）`;
    return null;
  }
  $("status").textContent = "";
  return response;
}

function query() {
  const from = $("from").value, to = $("to").value;
  return from && to ? `?from=${from}&to=${to}` : "";
}

async function load() {
  const response = await call("/api/metrics" + query());
  if (response) render(await response.json());
}

async function downloadCsv() {
  // A plain link cannot carry the bearer header, so the file is fetched and handed over as a blob.
  const response = await call("/api/metrics.csv" + query());
  if (!response) return;
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `jobmatrix-metrics-${$("from").value}-${$("to").value}.csv` });
  link.click();
  URL.revokeObjectURL(link.href);
}

function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(new Date());
}

function shift(isoDay, days) {
  const d = new Date(isoDay + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function setRange(kind) {
  const now = today();
  if (kind === "month") { $("from").value = now.slice(0, 8) + "01"; $("to").value = now; }
  if (kind === "last-month") {
    const end = shift(now.slice(0, 8) + "01", -1);
    $("from").value = end.slice(0, 8) + "01"; $("to").value = end;
  }
  if (kind === "30") { $("from").value = shift(now, -29); $("to").value = now; }
  load();
}

$("period").addEventListener("submit", (event) => { event.preventDefault(); load(); });
document.querySelectorAll("[data-range]").forEach((b) => b.addEventListener("click", () => setRange(b.dataset.range)));
$("csv").addEventListener("click", downloadCsv);
$("logout").addEventListener("click", () => { sessionStorage.removeItem(KEY); showLogin("已退出。"); });
$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $("token").value.trim());
  $("token").value = "";
  load();
});

takeTokenFromFragment();
load();
