// 县管校聘: the three hiring rounds (校内竞聘, 跨校竞聘, 组织调剂) and their results; the
// senior and intermediate title posts shared among schools.
import { api, download, query } from "../api.js";
import { bilingual, t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { chart, errorBox, field, h, label, pager, pct, select, table, toast, yes } from "../ui.js";

const RUNNING = new Set(["queued", "running"]);

export async function render(main, { params }) {
  main.append(h("h1", {}, t("县管校聘")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。")));
    return;
  }
  const jobs = await api(`/allocation${query({ dataset_id: id })}`);
  const out = h("div", { id: "allocation-result" });
  if (state.session.can_edit) {
    const year = h("input", { type: "number", id: "alloc-year", value: state.datasets.find((d) => d.id === id)?.year || 2026 });
    const level = h("input", { type: "checkbox", id: "alloc-level", checked: true });
    const err = h("div");
    const form = h("form", { class: "card", id: "allocation-form" }, h("h2", {}, t("竞聘上岗三轮")),
      h("div", { class: "row" }, field(t("年度"), year), h("label", { for: "alloc-level" }, level, " ", t("只能流向层级不高于原校的学校")),
        h("button", { type: "submit", class: "primary", id: "alloc-start" }, t("开始竞聘"))), err);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const job = await api(`/datasets/${id}/allocation`, { method: "POST", json: { year: Number(year.value), level_rule: level.checked } });
        location.hash = `#/hiring?job=${job.id}`;
      } catch (ex) {
        err.replaceChildren(errorBox(ex));
      }
    });
    main.append(form);
  }
  main.append(out);
  const jobId = Number(params.get("job")) || jobs[0]?.id;
  if (jobId) await showJob(out, jobId);
  else out.append(h("p", { class: "muted" }, t("还没有竞聘结果。")));
  main.append(titlePosts(id));
}

async function showJob(out, jobId) {
  for (;;) {
    const job = await api(`/allocation/${jobId}`);
    if (RUNNING.has(job.status)) {
      out.replaceChildren(h("div", { class: "card", "aria-live": "polite" }, h("h2", {}, t("竞聘 #{id}：{s}", { id: jobId, s: t(job.status_zh) })),
        h("p", {}, bilingual(job.progress?.message || ""))));
      await new Promise((r) => setTimeout(r, 1000));
      if (!document.body.contains(out)) return;
      continue;
    }
    if (!job.summary) {
      out.replaceChildren(h("div", { class: "card bad" }, bilingual(job.error || job.status_zh)));
      return;
    }
    const rounds = job.summary.rounds;
    const box = h("div", { class: "chart", id: "rounds-chart", role: "img", "aria-label": t("各轮人数") });
    const round = select([["", t("全部")], ...rounds.map((r) => [r.round, t(r.name)])], "", { id: "alloc-round" });
    const rows = h("div");
    const load = async (offset = 0) => {
      const page = await api(`/allocation/${jobId}/rows${query({ round: round.value, offset, limit: 50 })}`);
      rows.replaceChildren(table([
        { key: "teacher_id", title: t("编号") },
        { key: "name", title: t("姓名") },
        { key: "from_school_id", title: t("原学校") },
        { key: "subject", title: t("学段学科"), render: (r) => `${label("stage", r.stage)}${label("subject", r.subject)}` },
        { key: "round", title: t("结果"), render: (r) => t(rounds.find((x) => x.round === r.round)?.name || r.round) },
        { key: "to_school_id", title: t("聘用学校"), render: (r) => r.to_school_id || "—" },
        { key: "reason", title: t("说明"), render: (r) => h("span", { class: "reasons" }, r.reason) },
      ], page.items), pager(page, load));
    };
    round.addEventListener("change", () => load());
    const dl = (path) => async () => toast(t("已下载 {name}", { name: await download(path) }));
    out.replaceChildren(h("div", { class: "card" },
      h("h2", {}, t("竞聘 #{id}：{s}", { id: jobId, s: t(job.status_zh) })),
      h("p", {}, t("独立校验："), yes(job.check?.ok), job.check?.violations?.length ? ` ${job.check.violations.length}` : ""),
      box,
      h("div", { class: "row" },
        h("button", { type: "button", id: "alloc-xlsx", onclick: dl(`/allocation/${jobId}/allocation.xlsx`) }, t("下载竞聘结果（.xlsx）")),
        h("button", { type: "button", id: "alloc-csv", onclick: dl(`/allocation/${jobId}/allocation.csv`) }, t("下载 allocation.csv"))),
      h("h3", {}, t("每位教师的结果")), field(t("轮次"), round), rows));
    chart(box, {
      tooltip: {},
      grid: { left: 16, right: 20, bottom: 10 },
      xAxis: { type: "category", data: rounds.map((r) => t(r.name)) },
      yAxis: { type: "value", name: t("人") },
      series: [{ type: "bar", data: rounds.map((r) => r.teachers), label: { show: true, position: "top" } }],
    });
    await load();
    return;
  }
}

function titlePosts(id) {
  const senior = h("input", { type: "number", id: "tp-senior", value: 0, min: 0 });
  const inter = h("input", { type: "number", id: "tp-intermediate", value: 0, min: 0 });
  const tilt = h("input", { type: "number", id: "tp-tilt", value: 0.05, min: 0, max: 1, step: "any" });
  const out = h("div", { id: "title-posts-result" });
  const form = h("form", { class: "card", id: "title-posts-form" }, h("h2", {}, t("中高级岗位分配")),
    h("p", { class: "muted" }, t("全县高级、中级岗位总数按各校编制分配到校，不少于现有持证人数，乡村学校占比至少高出城镇学校。结果不保存。")),
    h("div", { class: "row" }, field(t("高级岗位总数"), senior), field(t("中级岗位总数"), inter), field(t("乡村倾斜幅度"), tilt),
      h("button", { type: "submit", class: "primary", id: "tp-start" }, t("计算"))), out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api(`/datasets/${id}/title-posts`, { method: "POST", json: { senior: Number(senior.value), intermediate: Number(inter.value), tilt: Number(tilt.value) } });
      out.replaceChildren(
        h("p", {}, t("乡村占比 {r}，城镇占比 {u}，倾斜要求", { r: pct(r.rural_share), u: pct(r.urban_share) }), yes(r.tilt_met)),
        table([
          { key: "name", title: t("学校") },
          { key: "group", title: t("城乡"), render: (s) => (s.group === "rural" ? t("乡村") : t("城镇")) },
          { key: "staffing_posts", title: t("编制"), num: true },
          { key: "senior_holders", title: t("现有高级"), num: true },
          { key: "senior_posts", title: t("高级岗位"), num: true },
          { key: "intermediate_holders", title: t("现有中级"), num: true },
          { key: "intermediate_posts", title: t("中级岗位"), num: true },
          { key: "explanation", title: t("说明"), render: (s) => h("span", { class: "reasons" }, s.explanation) },
        ], r.schools),
      );
    } catch (ex) {
      out.replaceChildren(errorBox(ex));
    }
  });
  return form;
}
