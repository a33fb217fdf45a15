// Small DOM helpers: elements, labelled fields, tables with sortable headers, pagers, charts.
import * as echarts from "../vendor/echarts/echarts.esm.min.js";
import { bilingual, labelIn, lang, t } from "./i18n.js";
import { state } from "./state.js";

let uid = 0;
export const newId = (p = "f") => `${p}-${++uid}`;

/** h("div", {class: "x", onclick: fn}, child, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const ENGLISH_FROM_DICTIONARY = new Set(["indicator", "lock_kind", "unfilled_cause", "audit_object", "exchange_form", "leader_move", "position", "weekday", "shadowing_term"]);

/** A code's label: its Chinese name from the API's vocabulary, the code itself in English. */
export function label(vocab, code) {
  if (code === null || code === undefined || code === "") return "";
  const zh = state.vocabulary?.[vocab]?.[code];
  if (zh === undefined) return String(code);
  // codes are English words already; indicators, lock kinds, causes and audit objects have English in the dictionary
  return ENGLISH_FROM_DICTIONARY.has(vocab) ? labelIn(zh, String(code)) : lang() === "en" ? String(code) : zh;
}

/** A labelled control: the label points at the control, the hint and error describe it. */
export function field(text, control, { hint, error } = {}) {
  const id = control.id || newId();
  control.id = id;
  const parts = [h("label", { for: id }, text), control];
  const described = [];
  if (hint) {
    const hid = `${id}-hint`;
    parts.push(h("div", { class: "hint", id: hid }, hint));
    described.push(hid);
  }
  const err = h("div", { class: "err", id: `${id}-err`, role: "alert" }, error || "");
  described.push(err.id);
  parts.push(err);
  control.setAttribute("aria-describedby", described.join(" "));
  return h("div", { class: "field" }, ...parts);
}

export function select(options, value, attrs = {}) {
  const el = h("select", attrs);
  for (const o of options) {
    const [v, text] = Array.isArray(o) ? o : [o, o];
    const opt = h("option", { value: v }, text);
    if (String(v) === String(value ?? "")) opt.selected = true;
    el.append(opt);
  }
  return el;
}

export function stat(key, value, cls = "") {
  return h("div", { class: "stat" }, h("div", { class: `v ${cls}` }, value ?? "—"), h("div", { class: "k" }, key));
}

export function fmt(x, digits = 2) {
  if (x === null || x === undefined || x === "") return "—";
  if (typeof x === "number") return Number.isInteger(x) ? x.toLocaleString() : x.toFixed(digits);
  return String(x);
}

export function pct(x) {
  return x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`;
}

export function yes(b) {
  return h("span", { class: `badge ${b ? "ok" : "bad"}` }, b ? t("是") : t("否"));
}

/**
 * A table. columns: [{key, title, num, nowrap, sort, render(row)}]; sort: {key, desc, onSort(key)}.
 */
export function table(columns, rows, { caption, sort, empty } = {}) {
  const head = h(
    "tr",
    {},
    columns.map((c) => {
      const th = h("th", { class: c.num ? "num" : "", scope: "col" });
      if (sort && c.sort) {
        const active = sort.key === c.key;
        th.setAttribute("aria-sort", active ? (sort.desc ? "descending" : "ascending") : "none");
        th.append(
          h("button", { type: "button", class: "sort", onclick: () => sort.onSort(c.key) },
            c.title, active ? (sort.desc ? " ▼" : " ▲") : ""),
        );
      } else th.append(c.title);
      return th;
    }),
  );
  const body = h("tbody");
  if (!rows.length) {
    body.append(h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, empty || t("没有符合条件的记录"))));
  }
  for (const r of rows) {
    body.append(
      h("tr", {}, columns.map((c) => {
        const v = c.render ? c.render(r) : r[c.key];
        return h("td", { class: c.num ? "num" : c.nowrap ? "nowrap" : "" }, v instanceof Node ? v : fmt(v));
      })),
    );
  }
  return h("div", { class: "table-wrap" }, h("table", {}, caption ? h("caption", { class: "muted" }, caption) : null, h("thead", {}, head), body));
}

/** Previous / next over a Page {total, offset, limit}. */
export function pager(page, onOffset) {
  const from = page.total ? page.offset + 1 : 0;
  const to = Math.min(page.offset + page.limit, page.total);
  return h("div", { class: "pager" },
    h("button", { type: "button", disabled: page.offset <= 0, onclick: () => onOffset(Math.max(0, page.offset - page.limit)) }, t("上一页")),
    h("span", { "aria-live": "polite" }, t("第 {a}–{b} 条，共 {n} 条", { a: from, b: to, n: page.total })),
    h("button", { type: "button", disabled: to >= page.total, onclick: () => onOffset(page.offset + page.limit) }, t("下一页")),
  );
}

export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  const el = h("div", { class: kind === "error" ? "error" : "" }, bilingual(message));
  while (box.children.length >= 2) box.firstElementChild.remove();
  box.append(el);
  setTimeout(() => el.remove(), 3500);
}

/** The API's refusal in words, with each listed problem. */
export function errorBox(err) {
  const body = err.body || {};
  const detail = Array.isArray(body.detail)
    ? body.detail.map((d) => (typeof d === "string" ? d : d.msg || JSON.stringify(d)))
    : [body.detail || err.message];
  return h("div", { class: "card bad", role: "alert" }, detail.map((d) => h("div", {}, bilingual(d))));
}

const charts = new Set();

/** An ECharts chart in `el`, resized with the window; `option` as ECharts takes it. */
export function chart(el, option) {
  const c = echarts.init(el, null, { renderer: "canvas" });
  const grid = option.grid ? { containLabel: true, ...option.grid } : undefined;
  c.setOption({ animation: false, textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily }, ...option, ...(grid ? { grid } : {}) });
  charts.add(c);
  return c;
}

export function disposeCharts() {
  for (const c of charts) c.dispose();
  charts.clear();
}

window.addEventListener("resize", () => charts.forEach((c) => c.resize()));

let focusTab = null; // the tab the arrow keys moved to, focused again once its page is drawn

/** A tab bar: one tab in the Tab order (the selected one), arrow keys move between tabs. */
export function tabs(names, onPick, current) {
  const bar = h("div", { class: "tabs", role: "tablist" });
  names.forEach(([key, text]) => {
    const selected = key === current;
    const b = h("button", { type: "button", role: "tab", "aria-selected": String(selected), tabindex: selected ? "0" : "-1", id: `tab-${key}`, "data-key": key, onclick: () => onPick(key) }, text);
    bar.append(b);
    if (selected && focusTab === key) {
      focusTab = null;
      setTimeout(() => b.focus());
    }
  });
  bar.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    e.preventDefault();
    const buttons = [...bar.querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement);
    const next = buttons[(i + (e.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
    focusTab = next.dataset.key;
    next.click();
  });
  return bar;
}

/** A moment from the API (ISO, UTC) in the reader's local time: 2026-06-15 09:30. */
export function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The importer's warnings kept with a snapshot (summary.warnings): where, what, and why. */
export function rosterWarnings(warnings, { id, heading }) {
  const list = (warnings || []).map((w) => (typeof w === "string" ? { message: w } : w));
  if (!list.length) return h("p", { class: "muted", id }, t("没有合理性提示。"));
  return h("details", { class: "card warnbox", id, open: true },
    h("summary", {}, h("span", { class: "warn" }, heading || t("合理性提示（{n} 条）", { n: list.length }))),
    h("p", { class: "muted" }, t("这些数据可以导入，但不像是真实情况，请核对后再生成方案。")),
    table([
      { key: "file", title: t("文件") },
      { key: "row", title: t("行"), num: true, render: (w) => (w.row === null || w.row === undefined ? "—" : String(w.row)) },
      { key: "value", title: t("填写的值"), render: (w) => w.value || "—" },
      { key: "message", title: t("说明"), render: (w) => h("span", { class: "reasons" }, bilingual(w.message || "")) },
    ], list));
}
