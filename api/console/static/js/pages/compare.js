// Compare scenarios (what-if): vary one or two policy parameters, plan each combination,
// read the comparison side by side; or compare two finished plans.
import { api, download, query } from "../api.js";
import { bilingual, lang, t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { chart, errorBox, field, fmt, h, select, table, toast } from "../ui.js";

const RUNNING = new Set(["queued", "running"]);

export async function render(main, { params }) {
  main.append(h("h1", {}, t("方案比较")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。")));
    return;
  }
  const [groups, jobs, plans] = await Promise.all([api("/policy/form"), api(`/whatif${query({ dataset_id: id })}`), api(`/plans${query({ dataset_id: id })}`)]);
  const numeric = groups.flatMap((g) => g.fields).filter((f) => f.kind === "int" || f.kind === "float");
  const done = plans.filter((p) => p.metrics);
  if (done.length >= 2) {
    const a = select(done.map((p) => [p.id, `#${p.id}`]), done[1].id, { id: "diff-a" });
    const b = select(done.map((p) => [p.id, `#${p.id}`]), done[0].id, { id: "diff-b" });
    const go = h("button", { type: "button", id: "diff-go" }, t("比较两个方案"));
    go.addEventListener("click", () => { location.hash = `#/diff/${a.value}/${b.value}`; });
    main.append(h("div", { class: "card" }, h("h2", {}, t("两个方案的差异")), h("div", { class: "row" }, field(t("方案 A"), a), field(t("方案 B"), b), go)));
  }
  const out = h("div", { id: "whatif-result" });
  if (state.session.can_edit) {
    const choices = numeric.map((f) => [f.name, lang() === "en" ? f.name : `${f.label}（${f.name}）`]);
    const p1 = select(choices, "rotation_rate", { id: "vary-1" });
    const v1 = h("input", { type: "text", id: "vary-1-values", value: "0.10,0.15,0.20", size: 18 });
    const p2 = select([["", t("（不变）")], ...choices], "", { id: "vary-2" });
    const v2 = h("input", { type: "text", id: "vary-2-values", value: "", size: 18 });
    const year = h("input", { type: "number", id: "whatif-year", value: state.datasets.find((d) => d.id === id)?.year || 2026 });
    const limit = h("input", { type: "number", id: "whatif-time-limit", value: 10, min: 1 });
    const form = h("form", { class: "card", id: "whatif-form" }, h("h2", {}, t("政策模拟：多组参数对比")),
      h("div", { class: "row" }, field(t("变化的参数"), p1), field(t("取值（逗号分隔）"), v1), field(t("第二个参数"), p2), field(t("取值（逗号分隔）"), v2)),
      h("div", { class: "row" }, field(t("方案年度"), year), field(t("每个情景的时间上限（秒）"), limit), h("button", { type: "submit", class: "primary", id: "whatif-start" }, t("开始模拟"))));
    const err = h("div");
    form.append(err);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const vary = { [p1.value]: v1.value.split(",").map((x) => Number(x.trim())).filter((x) => !Number.isNaN(x)) };
      if (p2.value && v2.value.trim()) vary[p2.value] = v2.value.split(",").map((x) => Number(x.trim()));
      try {
        const job = await api(`/datasets/${id}/whatif`, { method: "POST", json: { year: Number(year.value), vary, time_limit: Number(limit.value) } });
        location.hash = `#/compare?job=${job.id}`;
      } catch (ex) {
        err.replaceChildren(errorBox(ex));
      }
    });
    main.append(form);
  }
  const history = h("div", { id: "whatif-history" });
  const drawHistory = (list) => history.replaceChildren(
    table([
      { key: "id", title: t("编号"), render: (j) => h("a", { href: `#/compare?job=${j.id}` }, `#${j.id}`) },
      { key: "status", title: t("状态"), render: (j) => t(j.status_zh) },
      { key: "labels", title: t("情景"), render: (j) => (j.params.labels || []).join("；") },
    ], list, { empty: t("还没有模拟") }));
  drawHistory(jobs);
  main.append(h("h2", {}, t("模拟记录")), history, out);
  const jobId = Number(params.get("job")) || jobs[0]?.id;
  if (jobId) {
    await showJob(out, jobId);
    if (document.body.contains(history)) drawHistory(await api(`/whatif${query({ dataset_id: id })}`));
  }
}

async function showJob(out, jobId) {
  for (;;) {
    const job = await api(`/whatif/${jobId}`);
    if (RUNNING.has(job.status)) {
      const g = job.progress || {};
      const stop = h("button", { type: "button", class: "danger", hidden: !state.session.can_edit, onclick: () => api(`/whatif/${jobId}`, { method: "DELETE" }) }, t("停止"));
      out.replaceChildren(h("div", { class: "card", id: "whatif-progress", "aria-live": "polite" },
        h("h2", {}, t("模拟 #{id}：{s}", { id: jobId, s: t(job.status_zh) })),
        h("p", {}, t("已完成 {d}/{n} 个情景", { d: g.done ?? 0, n: g.total ?? job.scenarios }), g.current ? `（${g.current}）` : ""),
        h("div", { class: "progress" }, h("div", { style: `width:${(100 * (g.done || 0)) / (g.total || job.scenarios || 1)}%` })), stop));
      await new Promise((r) => setTimeout(r, 1000));
      if (!document.body.contains(out)) return;
      continue;
    }
    draw(out, job);
    return;
  }
}

function draw(out, job) {
  const rows = job.comparison || [];
  const names = Object.fromEntries(job.columns.map((c) => [c.code, c.zh]));
  const codes = job.columns.map((c) => c.code).filter((c) => rows.some((r) => r[c] !== undefined && r[c] !== null));
  const box = h("div", { class: "chart", id: "whatif-chart", role: "img", "aria-label": t("各情景的交流人数与填补岗位") });
  const dl = h("button", { type: "button", id: "whatif-download", onclick: async () => toast(t("已下载 {name}", { name: await download(`/whatif/${job.id}/comparison.csv`) })) }, t("下载比较表（CSV）"));
  out.replaceChildren(h("div", { class: "card", id: "whatif-table" },
    h("h2", {}, t("模拟 #{id}：{s}", { id: job.id, s: t(job.status_zh) })),
    job.error ? h("p", { class: "bad" }, bilingual(job.error)) : null,
    rows.length ? box : null,
    table(codes.map((c) => ({ key: c, title: lang() === "en" ? c : names[c] || c, num: typeof rows[0]?.[c] === "number", render: (r) => fmt(r[c], 3) })), rows),
    rows.length ? dl : null));
  if (!rows.length) return;
  const labelKey = codes.includes("label") ? "label" : codes.includes("scenario") ? "scenario" : codes[0];
  const series = ["moved", "needs_filled", "quota_units_met"].filter((k) => codes.includes(k));
  chart(box, {
    tooltip: { trigger: "axis" },
    legend: { data: series.map((k) => (lang() === "en" ? k : names[k])) },
    grid: { left: 16, right: 20, bottom: 10 },
    xAxis: { type: "category", data: rows.map((r) => String(r[labelKey])), axisLabel: { interval: 0, rotate: 10 } },
    yAxis: { type: "value" },
    series: series.map((k) => ({ name: lang() === "en" ? k : names[k], type: "bar", data: rows.map((r) => r[k]) })),
  });
}
