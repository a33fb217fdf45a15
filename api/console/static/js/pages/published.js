// 发布记录: the plans each county has published, the one in force and those it superseded,
// newest first, as the API keeps them (GET /published). An officer turns a plan in force
// into next year's roster here (生成下一年名册: an apply job, POST /datasets/{id}/apply),
// watches its steps and follows the link to the new snapshot.
import { api, query } from "../api.js";
import { bilingual, lang, t } from "../i18n.js";
import { datasetId, setDatasetId, state } from "../state.js";
import { errorBox, field, h, select, table, when } from "../ui.js";

const ACTIVE = new Set(["queued", "running"]);

export async function render(main, { params }) {
  main.append(h("h1", {}, t("发布记录")));
  const counties = [...new Set(state.datasets.map((d) => d.county).filter(Boolean))].sort();
  const mine = state.datasets.find((d) => d.id === datasetId())?.county || "";
  const chosen = params.has("county") ? params.get("county") : mine;
  const county = select([["", t("全部县区")], ...counties.map((c) => [c, c])], chosen, { id: "published-county" });
  if (chosen && !counties.includes(chosen)) county.append(h("option", { value: chosen, selected: true }, chosen));
  const year = h("input", { type: "number", id: "published-year", min: 1990, max: 2100, value: params.get("year") || "" });
  const out = h("div", { id: "published-result" });
  const applying = h("div", { id: "apply-result", "aria-live": "polite" });
  const load = async () => {
    const rows = await api(`/published${query({ county: county.value, year: year.value })}`);
    const current = rows.filter((r) => !r.superseded_at);
    const cols = columns(false);
    if (state.session.can_edit) {
      const latest = latestApplies(await api("/apply"));
      cols.push({ key: "apply", title: t("下一年名册"), render: (r) => applyCell(r, latest.get(r.plan_id), applying) });
    }
    out.replaceChildren(
      h("h2", {}, t("现行的正式方案")),
      table(cols, current, { empty: t("还没有发布的方案") }),
      applying,
      h("h2", {}, t("全部发布记录（含已被替代的）")),
      table(columns(true), rows, { empty: t("还没有发布的方案") }),
    );
  };
  const show = () => {
    const q = new URLSearchParams();
    if (county.value) q.set("county", county.value);
    if (year.value) q.set("year", year.value);
    history.replaceState(null, "", `#/published${q.toString() ? `?${q}` : ""}`);
    load();
  };
  county.addEventListener("change", show);
  year.addEventListener("change", show);
  main.append(
    h("p", { class: "muted" }, t("每个县区每个学年只有一个现行的正式方案；发布另一方案时，原方案被替代，两者都保留记录。")),
    h("div", { class: "row card", role: "search", "aria-label": t("筛选发布记录") },
      field(t("县区"), county), field(t("学年"), year, { hint: t("留空为全部学年") })),
    out);
  await load();
}

/** The newest apply job of each plan. */
function latestApplies(jobs) {
  const latest = new Map();
  for (const job of jobs) if (!latest.has(job.plan_id)) latest.set(job.plan_id, job); // newest first
  return latest;
}

/** The button that starts the apply job, and the snapshot an earlier one made. */
function applyCell(row, job, applying) {
  const start = h("button", { type: "button", class: "primary", id: `apply-start-${row.plan_id}` }, t("生成下一年名册"));
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      const plan = await api(`/plans/${row.plan_id}`);
      const accepted = await api(`/datasets/${plan.dataset_id}/apply`, { method: "POST", json: { plan_id: row.plan_id } });
      await follow(applying, accepted.id);
    } catch (err) {
      applying.replaceChildren(errorBox(err));
    } finally {
      start.disabled = false;
    }
  });
  // an apply still under way is followed again (its box is on the page by the time it answers)
  if (job && ACTIVE.has(job.status) && !applying.dataset.following) follow(applying, job.id);
  return h("div", { class: "row" }, start, job?.dataset ? snapshotLink(job.dataset) : null);
}

function snapshotLink(ds) {
  return h("a", { href: "#/county", class: "apply-snapshot", onclick: () => setDatasetId(ds.id) },
    t("名册快照 #{id}（{year} 学年，{n} 人）→", { id: ds.id, year: ds.year, n: ds.teachers }));
}

/** The job's steps until it ends, then the new snapshot, the plan's violations, or why it stopped. */
async function follow(box, jobId) {
  box.dataset.following = String(jobId);
  try {
    for (;;) {
      const job = await api(`/apply/${jobId}`);
      if (!document.body.contains(box)) return; // the page was left
      if (ACTIVE.has(job.status)) {
        box.replaceChildren(progressCard(job));
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      box.replaceChildren(endCard(job));
      return;
    }
  } finally {
    delete box.dataset.following;
  }
}

function progressCard(job) {
  const g = job.progress || {};
  const steps = g.steps || 4;
  const step = job.status === "queued" ? 0 : g.step || 0;
  const stop = h("button", { type: "button", class: "danger", id: "apply-stop", onclick: () => api(`/apply/${job.id}`, { method: "DELETE" }) }, t("停止"));
  const where = job.status === "queued"
    ? t("排队中（第 {n} 位）", { n: job.queue_position ?? 1 })
    : t("第 {k}/{n} 步：{what}", { k: step, n: steps, what: g.message ? bilingual(g.message) : "…" });
  return h("div", { class: "card", id: "apply-progress" },
    h("h2", {}, t("生成下一年名册：方案 #{id}", { id: job.plan_id })),
    h("p", {}, where),
    h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": steps, "aria-valuenow": step, "aria-label": t("生成进度") },
      h("div", { style: `width:${(100 * step) / steps}%` })),
    stop);
}

function endCard(job) {
  const title = h("h2", {}, t("生成下一年名册：方案 #{id}", { id: job.plan_id }));
  if (job.dataset) {
    const a = job.applied;
    return h("div", { class: "card", id: "apply-done" }, title,
      h("p", {}, t("已生成 {year} 学年名册：开始交流 {s} 人，期满返回 {r} 人，继续交流 {k} 人，扣除已填补岗位 {f} 个。", { year: a.next_year, s: a.started, r: a.returned, k: a.still_away, f: a.needs_filled })),
      a.leaders_due ? h("p", {}, t("校长交流：任职期满 {d} 人，到新学校任职 {m} 人，本校提任校长 {p} 人。", { d: a.leaders_due, m: a.leaders_moved, p: a.leaders_promoted })) : null,
      a.needs_left === 0 && job.dataset.needs_declared !== false
        ? h("p", { class: "warn", role: "note" }, t("已申报的岗位需求都已填补：新名册没有岗位需求，按它规划将无人交流；请导入新学年的岗位需求。"))
        : h("p", {}, t("留到下一学年的岗位需求 {n} 个，走教课时需求 {h} 节/周。", { n: a.needs_left, h: a.hours_left })),
      snapshotLink(job.dataset));
  }
  if (job.findings?.length) {
    return h("div", { class: "card bad", id: "apply-refused", role: "alert" }, title,
      h("p", {}, t("方案有 {n} 处违规，未落实，没有保存新名册。", { n: job.findings.length })),
      h("ul", {}, job.findings.map((f) => h("li", {}, lang() === "en" ? `${f.subject}: [${f.rule}] ${f.message_en || f.message}` : `${f.subject}：[${f.rule_zh}] ${f.message}`))));
  }
  return h("div", { class: "card bad", id: "apply-ended", role: "alert" }, title,
    h("p", {}, t(job.status_zh)), job.error ? h("p", {}, bilingual(job.error)) : null,
    h("p", {}, t("没有保存新名册。")));
}

function columns(withHistory) {
  const cols = [
    { key: "plan_id", title: t("方案"), render: (r) => h("a", { href: `#/plans/${r.plan_id}` }, `#${r.plan_id}`) },
    { key: "county", title: t("县区"), render: (r) => r.county || t("（未注明县区）") },
    { key: "year", title: t("学年"), render: (r) => String(r.year) },
    { key: "status", title: t("状态"), render: (r) => h("span", { class: `badge ${r.superseded_at ? "" : "ok"}` }, r.superseded_at ? t("已被替代") : t("已发布")) },
    { key: "published_at", title: t("发布时间"), render: (r) => when(r.published_at) },
    { key: "published_by", title: t("发布人") },
    { key: "supersedes_plan_id", title: t("替代了"), render: (r) => (r.supersedes_plan_id ? h("a", { href: `#/plans/${r.supersedes_plan_id}` }, `#${r.supersedes_plan_id}`) : "—") },
  ];
  if (withHistory) {
    cols.push(
      { key: "superseded_at", title: t("被替代时间"), render: (r) => when(r.superseded_at) },
      { key: "superseded_by_plan_id", title: t("被谁替代"), render: (r) => (r.superseded_by_plan_id ? h("a", { href: `#/plans/${r.superseded_by_plan_id}` }, `#${r.superseded_by_plan_id}`) : "—") },
    );
  }
  return cols;
}
