// The outlook (逐年推演): the county rolled forward a school year at a time to the year the
// officer picks, under one policy or several; the indicators' CVs year by year against
// their limits and the first year the county meets the standard, as the API computes them.
import { api, download, query } from "../api.js";
import { bilingual, lang, t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { chart, errorBox, field, fmt, h, label, select, table, toast } from "../ui.js";

const RUNNING = new Set(["queued", "running"]);

export async function render(main, { params }) {
  main.append(h("h1", {}, t("逐年推演")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。")));
    return;
  }
  const [groups, jobs] = await Promise.all([api("/policy/form"), api(`/outlook${query({ dataset_id: id })}`)]);
  const year = state.datasets.find((d) => d.id === id)?.year || 2026;
  if (state.session.can_edit) {
    const numeric = groups.flatMap((g) => g.fields).filter((f) => f.kind === "int" || f.kind === "float");
    const from = h("input", { type: "number", id: "outlook-from", value: year, min: 2000, max: 2100 });
    const to = h("input", { type: "number", id: "outlook-to", value: Math.max(year + 1, 2027), min: 2000, max: 2100 });
    const param = select([["", t("（不变）")], ...numeric.map((f) => [f.name, lang() === "en" ? f.name : `${f.label}（${f.name}）`])], "", { id: "outlook-vary" });
    const values = h("input", { type: "text", id: "outlook-vary-values", size: 18 });
    const limit = h("input", { type: "number", id: "outlook-time-limit", value: 10, min: 1 });
    const err = h("div");
    const form = h("form", { class: "card", id: "outlook-form" },
      h("p", { class: "muted" }, t("每年先生成交流方案，再推演到下一学年（任期开始与结束、退休与补充、晋升、学生数变化）。")),
      h("div", { class: "row" }, field(t("从"), from), field(t("推演到"), to), field(t("变化的参数"), param), field(t("取值（逗号分隔）"), values),
        field(t("每年方案的时间上限（秒）"), limit), h("button", { type: "submit", class: "primary", id: "outlook-start" }, t("开始推演"))), err);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { from_year: Number(from.value), to_year: Number(to.value), time_limit: Number(limit.value) };
      if (param.value && values.value.trim()) body.vary = { [param.value]: values.value.split(",").map((x) => Number(x.trim())) };
      try {
        const job = await api(`/datasets/${id}/outlook`, { method: "POST", json: body });
        location.hash = `#/outlook?job=${job.id}`;
      } catch (ex) {
        err.replaceChildren(errorBox(ex));
      }
    });
    main.append(form);
  }
  const out = h("div", { id: "outlook-result" });
  main.append(h("h2", {}, t("推演记录")),
    table([
      { key: "id", title: t("编号"), render: (j) => h("a", { href: `#/outlook?job=${j.id}` }, `#${j.id}`) },
      { key: "status", title: t("状态"), render: (j) => t(j.status_zh) },
      { key: "years", title: t("年份"), render: (j) => `${j.year}–${j.params.to_year}` },
      { key: "labels", title: t("情景"), render: (j) => (j.params.labels || []).join("；") },
    ], jobs, { empty: t("还没有推演") }), out);
  const jobId = Number(params.get("job")) || jobs[0]?.id;
  if (jobId) await show(out, jobId);
}

async function show(out, jobId) {
  for (;;) {
    const job = await api(`/outlook/${jobId}`);
    if (RUNNING.has(job.status)) {
      const g = job.progress || {};
      out.replaceChildren(h("div", { class: "card", id: "outlook-progress", "aria-live": "polite" },
        h("h2", {}, t("推演 #{id}：{s}", { id: jobId, s: t(job.status_zh) })),
        h("p", {}, t("已完成 {d}/{n} 个情景", { d: g.done ?? 0, n: g.total ?? job.scenarios })),
        h("button", { type: "button", class: "danger", hidden: !state.session.can_edit, onclick: () => api(`/outlook/${jobId}`, { method: "DELETE" }) }, t("停止"))));
      await new Promise((r) => setTimeout(r, 1000));
      if (!document.body.contains(out)) return;
      continue;
    }
    draw(out, job);
    return;
  }
}

function draw(out, job) {
  const outcomes = job.outlook?.outcomes || [];
  const ok = outcomes.filter((o) => o.ok && o.outlook);
  const toYear = job.params.to_year;
  const card = h("div", { class: "card", id: "outlook-table" }, h("h2", {}, t("推演 #{id}：{s}", { id: job.id, s: t(job.status_zh) })));
  out.replaceChildren(card);
  if (job.error) card.append(h("p", { class: "bad" }, bilingual(job.error)));
  card.append(table([
    { key: "label", title: t("情景"), render: (o) => o.scenario.label || t("基准政策") },
    { key: "first", title: t("首个达标年份"), render: (o) => (o.row?.first_year_meeting_standard ? String(o.row.first_year_meeting_standard) : t("至 {y} 年仍未达标", { y: toYear })) },
    { key: "moved", title: t("末年交流人数"), num: true, render: (o) => fmt(o.row?.last_moved) },
    { key: "units", title: t("末年达标单位"), num: true, render: (o) => `${fmt(o.row?.last_quota_units_met)}/${fmt(o.row?.last_quota_units)}` },
    { key: "error", title: t("说明"), render: (o) => bilingual(o.error || "") },
  ], outcomes));
  if (!ok.length) return;
  const first = ok[0].outlook.years[0];
  const limits = Object.fromEntries((first.before?.county || []).map((r) => [`cv_${r.stage}_${r.indicator}`, r.limit]));
  const keys = Object.keys(first.figures).filter((k) => k.startsWith("cv_") && k in limits);
  const name = (k) => {
    const r = first.before.county.find((x) => `cv_${x.stage}_${x.indicator}` === k);
    return `${label("stage", r.stage)}·${label("indicator", r.indicator)}`;
  };
  const pick = select(keys.map((k) => [k, name(k)]), keys.includes("cv_primary_backbone") ? "cv_primary_backbone" : keys[0], { id: "outlook-indicator" });
  const box = h("div", { class: "chart", id: "outlook-chart", role: "img", "aria-label": t("差异系数逐年变化与上限") });
  const files = h("div", { class: "row" }, (job.files || []).map((f) =>
    h("button", { type: "button", class: "small", id: `outlook-file-${f.replace(".", "-")}`, onclick: async () => toast(t("已下载 {name}", { name: await download(`/outlook/${job.id}/files/${f}`) })) }, f)));
  card.append(h("h3", {}, t("差异系数逐年变化（方案执行后）")), field(t("指标"), pick), box, h("h3", {}, t("下载")), files);
  let c = null;
  const plot = () => {
    const k = pick.value;
    const years = ok[0].outlook.years.map((y) => String(y.year));
    if (c) c.dispose();
    c = chart(box, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 16, right: 20, top: 40, bottom: 10 },
      xAxis: { type: "category", data: years },
      yAxis: { type: "value", name: t("差异系数") },
      series: [
        ...ok.map((o) => ({ name: o.scenario.label || t("基准政策"), type: "line", data: o.outlook.years.map((y) => y.figures[k]) })),
        { name: t("上限"), type: "line", data: years.map(() => limits[k]), symbol: "none", lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } },
      ],
    });
  };
  pick.addEventListener("change", plot);
  plot();
}
