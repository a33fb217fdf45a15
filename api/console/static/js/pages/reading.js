// One plan: live progress while it is solved (phase, best plan, bound, gap, elapsed; stop
// early keeping the best plan), then its moves, compliance, indicators, a picture of the
// moves, and adjustments (lock a move, keep a teacher, block a school) to re-plan from it.
// The forms of exchange besides the transfer have their own tabs (校长交流, 支教, 走教,
// 跟岗学习; see plan_forms.js).
// An officer publishes a finished plan as the county's plan for its year (已发布); a
// published plan shows when and by whom, and offers nothing that would change it.
import { api, download, query } from "../api.js";
import { bilingual, lang, t } from "../i18n.js";
import { pendingLocks, setPendingLocks, state } from "../state.js";
import { chart, errorBox, field, fmt, h, label, pager, pct, select, stat, table, tabs, toast, when, yes } from "../ui.js";
import { route } from "../app.js";
import { statusBadge } from "./plan.js";
import { itinerant, principals, shadowing } from "./plan_forms.js";

const RUNNING = new Set(["queued", "running"]);
const PHASE_ZH = { start: "启动", candidates: "筛选候选", build: "建模", greedy: "经验方案", solve: "求解", explain: "解释与校验", done: "完成" };

export async function render(main, { args }) {
  const id = Number(args[0]);
  let plan = await api(`/plans/${id}`);
  const head = h("div");
  main.append(head);
  const heading = () => head.replaceChildren(h("div", {}, h("h1", {}, t("方案 #{id}", { id }), " ", statusBadge(plan)),
    plan.options.hint_plan_id ? h("p", { class: "muted" }, t("由方案 #{id} 调整后重新求解。", { id: plan.options.hint_plan_id }), " ",
      plan.status === "done" || plan.status === "cancelled" ? h("a", { href: `#/diff/${plan.options.hint_plan_id}/${id}`, id: "diff-link" }, t("查看改变了什么 →")) : "") : null));
  heading();
  if (RUNNING.has(plan.status)) {
    const box = h("div", { class: "card", id: "progress" });
    main.append(box);
    plan = await watch(id, box, (p) => {
      plan = p;
      heading();
    });
    box.remove();
    heading();
  }
  if (plan.status === "failed" || plan.status === "interrupted") {
    main.append(h("div", { class: "card bad", role: "alert" }, bilingual(plan.error || plan.status_zh)));
    return;
  }
  if (!plan.metrics) {
    main.append(h("p", { class: "card" }, t("方案没有结果。")));
    return;
  }
  const [publication] = await api(`/published${query({ plan_id: id })}`);
  plan.publication = publication || null;
  main.append(publishing(plan));
  readPlan(main, plan);
}

/** The plan's publication (已发布 / 已被替代, when, by whom), or the officer's publish button. */
function publishing(plan) {
  const p = plan.publication;
  const ds = state.datasets.find((d) => d.id === plan.dataset_id);
  const county = p?.county || ds?.county || "";
  const records = h("a", { href: `#/published${county ? `?county=${encodeURIComponent(county)}` : ""}` }, t("发布记录 →"));
  if (p) {
    const current = !p.superseded_at;
    return h("div", { class: `card publication ${current ? "published" : ""}`, id: "plan-publication" },
      h("span", { class: `badge ${current ? "ok" : ""}`, id: "publication-status" }, current ? t("已发布") : t("已被替代")), " ",
      t("{county} {year} 学年正式方案，{at} 由 {by} 发布", { county: county || t("（未注明县区）"), year: p.year, at: when(p.published_at), by: p.published_by }),
      p.supersedes_plan_id ? [" ", t("（替代方案 #{id}）", { id: p.supersedes_plan_id })] : "",
      current ? "" : [" ", t("；{at} 被方案 #{id} 替代", { at: when(p.superseded_at), id: p.superseded_by_plan_id })],
      h("div", { class: "muted" }, t("已发布的方案不能停止、删除或修改。"), " ", records, " ",
        state.session.can_edit ? h("a", { href: `#/audit?object_kind=plan&object_id=${plan.id}` }, t("本方案的操作日志 →")) : ""));
  }
  if (!state.session.can_edit) return h("div", { class: "muted", id: "plan-publication" }, t("未发布。"), " ", records);
  const button = h("button", { type: "button", class: "primary", id: "publish-open" }, t("发布为正式方案"));
  button.addEventListener("click", () => confirmPublish(plan, county, button));
  return h("div", { class: "row publish-row", id: "plan-publication" }, button,
    h("span", { class: "muted" }, t("发布后即为本县本学年采用的方案，不能再修改；再发布另一方案时本方案被替代，两者都有记录。")), records);
}

async function confirmPublish(plan, county, opener) {
  const [current] = await api(`/published${query({ county, year: plan.year, current: true })}`);
  const where = county || t("（未注明县区）");
  const err = h("div");
  const ok = h("button", { type: "button", class: "primary", id: "publish-confirm" }, t("确认发布"));
  const cancel = h("button", { type: "button", id: "publish-cancel" }, t("取消"));
  const dialog = h("dialog", { class: "confirm", id: "publish-dialog", "aria-labelledby": "publish-title", "aria-describedby": "publish-what" },
    h("h2", { id: "publish-title" }, t("发布为正式方案")),
    h("p", { id: "publish-what" }, t("将方案 #{id} 发布为 {county} {year} 学年的正式方案？", { id: plan.id, county: where, year: plan.year })),
    h("p", {}, current
      ? t("{county} {year} 学年已发布方案 #{old}（{at} 由 {by} 发布）；它将被本方案替代，两者都保留并记录。", { county: where, year: plan.year, old: current.plan_id, at: when(current.published_at), by: current.published_by })
      : t("{county} {year} 学年还没有已发布的方案。", { county: where, year: plan.year })),
    h("p", { class: "muted" }, t("发布后本方案不能停止、删除或修改，导出文件标注“正式方案”。此操作记入操作日志。")),
    err,
    h("div", { class: "row" }, ok, cancel));
  const close = () => {
    dialog.close();
    dialog.remove();
    opener.focus();
  };
  cancel.addEventListener("click", close);
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  ok.addEventListener("click", async () => {
    ok.disabled = true;
    try {
      await api(`/plans/${plan.id}/publish`, { method: "POST" });
      dialog.close();
      dialog.remove();
      toast(t("方案 #{id} 已发布为 {county} {year} 学年的正式方案", { id: plan.id, county: where, year: plan.year }));
      route();
    } catch (e) {
      ok.disabled = false;
      err.replaceChildren(errorBox(e));
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  cancel.focus();
}

async function watch(id, box, onChange) {
  let stopping = false;
  for (;;) {
    const p = await api(`/plans/${id}`);
    const g = p.progress || {};
    const stop = h("button", { type: "button", class: "danger", id: "plan-stop", disabled: stopping || !state.session.can_edit, hidden: !state.session.can_edit }, stopping ? t("正在停止……") : t("提前停止（保留当前最优方案）"));
    stop.addEventListener("click", async () => {
      stopping = true;
      stop.disabled = true;
      await api(`/plans/${id}`, { method: "DELETE" });
    });
    box.replaceChildren(...[
      h("h2", {}, t("求解进度")),
      h("div", { class: "cards", "aria-live": "polite" },
        stat(t("状态"), t(p.status_zh)),
        stat(t("阶段"), t(PHASE_ZH[g.phase] || g.phase || "—")),
        stat(t("当前最优目标值"), fmt(g.objective, 1)),
        stat(t("界"), fmt(g.bound, 1)),
        stat(t("间隙"), g.gap === undefined || g.gap === null ? "—" : `${fmt(g.gap * 100, 2)}%`),
        stat(t("已用时间（秒）"), fmt(p.running_seconds ?? g.elapsed, 1)),
        p.queue_position ? stat(t("排队位置"), p.queue_position) : null),
      g.message ? h("p", { class: "muted" }, bilingual(g.message)) : null,
      stop,
    ].filter(Boolean));
    onChange(p);
    if (!RUNNING.has(p.status)) return p;
    await new Promise((r) => setTimeout(r, 700));
  }
}

function readPlan(main, plan) {
  const m = plan.metrics;
  const units = m.quota_units ?? null;
  main.append(h("div", { class: "cards", id: "plan-stats" },
    stat(t("交流人数"), fmt(m.moved)),
    stat(t("其中骨干"), fmt(m.backbone_moved)),
    stat(t("其中支教"), fmt(m.support_moved)),
    stat(t("跟岗学习"), fmt(m.shadowing_placed)),
    stat(t("填补岗位"), `${fmt(m.needs_filled)}/${fmt(m.needs_open)}`),
    units !== null ? stat(t("达标单位"), `${fmt(m.quota_units_met)}/${fmt(units)}`) : null,
    stat(t("高级职称占比"), pct(m.senior_share_sent)),
    stat(t("平均距离（公里）"), fmt(m.distance_mean_km, 1)),
    stat(t("求解状态"), (lang() === "en" ? plan.solver_status_en : plan.solver_status_zh) || plan.solver_status || "—"),
    stat(t("间隙"), m.gap === null || m.gap === undefined ? "—" : `${fmt(m.gap * 100, 2)}%`),
  ));
  const body = h("div");
  main.append(body);
  const unfilled = m.unfilled_needs;
  const unfilledTitle = unfilled ? t("未填补岗位（{n}）", { n: unfilled.length }) : t("未填补岗位");
  const keys = [["moves", t("交流名单")], ["principals", t("校长交流")], ["support", t("支教")], ["itinerant", t("走教")], ["shadowing", t("跟岗学习")], ["compliance", t("达标情况")], ["unfilled", unfilledTitle], ["indicators", t("指标前后对比")], ["map", t("交流示意图")], ["adjust", t("调整与重新求解")], ["files", t("下载与校验")]];
  const show = async (key) => {
    body.replaceChildren(tabs(keys, show, key));
    const panel = h("div", { role: "tabpanel", "aria-labelledby": `tab-${key}`, id: `panel-${key}` });
    body.append(panel);
    if (key === "moves") await moves(panel, plan);
    else if (key === "principals") await principals(panel, plan);
    else if (key === "support") await support(panel, plan);
    else if (key === "itinerant") await itinerant(panel, plan);
    else if (key === "shadowing") await shadowing(panel, plan);
    else if (key === "compliance") await compliance(panel, plan);
    else if (key === "unfilled") unfilledNeeds(panel, unfilled);
    else if (key === "indicators") await indicators(panel, plan);
    else if (key === "map") await map(panel, plan);
    else if (key === "adjust") adjust(panel, plan);
    else files(panel, plan);
  };
  show("moves");
}

function addLock(plan, lock) {
  const locks = pendingLocks(plan.id);
  if (!locks.some((l) => l.kind === lock.kind && l.teacher_id === lock.teacher_id && l.school_id === lock.school_id)) locks.push(lock);
  setPendingLocks(plan.id, locks);
  toast(t("已加入调整（共 {n} 项），在“调整与重新求解”中重新求解", { n: locks.length }));
}

/** 支教: the moves of that form, with the years each lasts (it returns at the end). */
async function support(panel, plan) {
  const m = plan.metrics;
  panel.append(h("p", { id: "support-note" }, t("支教：到农村或薄弱学校任教，期满返回原校（见“起止年度”）。本方案 {n} 人，其中不计入交流比例 {k} 人。", { n: fmt(m.support_moved ?? 0), k: fmt(m.support_not_counted ?? 0) })));
  await moves(panel, plan, { form: "support" });
}

async function moves(panel, plan, preset = {}) {
  const officer = state.session.can_edit && !plan.publication;
  const q = h("input", { type: "search", id: "moves-q", placeholder: t("姓名或编号") });
  const school = h("input", { type: "search", id: "moves-school", placeholder: t("学校编号"), size: 8 });
  const subject = select([["", t("全部")], ...Object.entries(state.vocabulary.subject).map(([k]) => [k, label("subject", k)])], "", { id: "moves-subject" });
  const stage = select([["", t("全部")], ...["kindergarten", "primary", "junior", "senior", "special"].map((k) => [k, label("stage", k)])], "", { id: "moves-stage" });
  const form = select([["", t("全部")], ...["transfer", "support"].map((k) => [k, label("exchange_form", k)])], preset.form || "", { id: "moves-form" });
  const out = h("div");
  const sort = { key: "teacher_id", desc: false };
  const load = async (offset = 0) => {
    const page = await api(`/plans/${plan.id}/moves${query({ q: q.value.trim(), school_id: school.value.trim(), subject: subject.value, stage: stage.value, form: form.value, sort: sort.key, descending: sort.desc, offset, limit: 50 })}`);
    const cols = [
      { key: "teacher_id", title: t("编号"), sort: true },
      { key: "name", title: t("姓名"), sort: true },
      { key: "from_school_id", title: t("派出学校"), sort: true, render: (r) => r.from_school },
      { key: "to_school_id", title: t("接收学校"), sort: true, render: (r) => r.to_school },
      { key: "subject", title: t("学段学科"), sort: true, render: (r) => `${label("stage", r.stage)}${label("subject", r.subject)}` },
      { key: "title", title: t("职称"), sort: true, render: (r) => label("title", r.title) },
      { key: "backbone", title: t("骨干"), sort: true, render: (r) => label("backbone", r.backbone) },
      { key: "form", title: t("形式"), render: (r) => label("exchange_form", r.form) },
      preset.form ? { key: "years", title: t("起止年度"), nowrap: true, render: (r) => `${r.start_year}–${r.end_year}` } : null,
      { key: "distance_km", title: t("距离"), num: true, sort: true, render: (r) => fmt(r.distance_km, 1) },
      { key: "reasons", title: t("理由"), render: (r) => h("span", { class: "reasons" }, r.reasons) },
    ].filter(Boolean);
    if (officer) {
      cols.push({
        key: "actions", title: t("调整"),
        render: (r) => h("div", {},
          h("button", { type: "button", class: "small", "aria-label": t("锁定 {name} 的这一安排", { name: r.name }), onclick: () => addLock(plan, { kind: "assign", teacher_id: r.teacher_id, school_id: r.to_school_id, note: t("锁定此安排") }) }, t("锁定")), " ",
          h("button", { type: "button", class: "small", "aria-label": t("{name} 留任不交流", { name: r.name }), onclick: () => addLock(plan, { kind: "stay", teacher_id: r.teacher_id, school_id: "", note: t("留任") }) }, t("留任")), " ",
          h("button", { type: "button", class: "small", "aria-label": t("{school} 今年不接收", { school: r.to_school }), onclick: () => addLock(plan, { kind: "block_school", teacher_id: "", school_id: r.to_school_id, note: t("不接收") }) }, t("不接收"))),
      });
    }
    const onSort = (key) => {
      sort.desc = sort.key === key ? !sort.desc : false;
      sort.key = key;
      load(0);
    };
    out.replaceChildren(table(cols, page.items, { sort: { ...sort, onSort } }), pager(page, load));
  };
  for (const el of [q, school, subject, stage, form]) el.addEventListener("change", () => load(0));
  panel.append(h("div", { class: "row", role: "search", "aria-label": t("筛选交流名单") }, field(t("查找教师"), q), field(t("学校（派出或接收）"), school), field(t("学段"), stage), field(t("学科"), subject), field(t("形式"), form)), out);
  await load();
}

async function compliance(panel, plan) {
  const rows = await api(`/plans/${plan.id}/compliance`);
  const only = h("input", { type: "checkbox", id: "unmet-only" });
  const out = h("div");
  const draw = () => out.replaceChildren(table([
    { key: "name", title: t("单位") },
    { key: "role", title: t("角色"), render: (r) => label("role", r.role) },
    { key: "eligible", title: t("符合条件"), num: true },
    { key: "required", title: t("应交流"), num: true },
    { key: "rotated", title: t("已安排"), num: true },
    { key: "backbone_required", title: t("骨干应交流"), num: true },
    { key: "backbone_rotated", title: t("骨干已安排"), num: true },
    { key: "met", title: t("达标"), render: (r) => yes(r.met) },
    { key: "shortfall_reason", title: t("未达标原因"), render: (r) => h("span", { class: "reasons" }, r.shortfall_reason) },
  ], only.checked ? rows.filter((r) => !r.met) : rows));
  only.addEventListener("change", draw);
  const unmet = rows.filter((r) => !r.met).length;
  panel.append(h("p", {}, t("{n} 个单位中 {k} 个未达标。", { n: rows.length, k: unmet })),
    h("div", { class: "row" }, h("label", { for: "unmet-only" }, only, " ", t("只看未达标"))), out);
  draw();
}

async function indicators(panel, plan) {
  const data = await api(`/plans/${plan.id}/indicators`);
  const county = data.county;
  const warned = data.warnings || [];
  panel.append(warned.length
    ? h("div", { class: "card warnbox", id: "indicator-warnings", role: "note" },
        h("h2", { class: "warn" }, t("交流后变差的指标（{n} 项）", { n: warned.length })),
        h("ul", {}, warned.map((w) => h("li", {}, bilingual(w)))))
    : h("p", { class: "muted", id: "indicator-warnings" }, t("没有全县指标因本方案变差。")));
  const cvBox = h("div", { class: "chart", id: "cv-before-after", role: "img", "aria-label": t("差异系数：交流前后与上限") });
  panel.append(h("h2", {}, t("全县校际差异系数：交流前后")), cvBox);
  const names = county.map((r) => `${label("stage", r.stage)}·${label("indicator", r.indicator)}`);
  chart(cvBox, {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("交流前"), t("交流后"), t("上限")] },
    grid: { left: 16, right: 20, top: 40, bottom: 10 },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 15 } },
    yAxis: { type: "value", name: t("差异系数") },
    series: [
      { name: t("交流前"), type: "bar", data: county.map((r) => r.cv_before), itemStyle: { color: "#9aa5b1" } },
      { name: t("交流后"), type: "bar", data: county.map((r) => r.cv_after), itemStyle: { color: "#0b5cad" } },
      { name: t("上限"), type: "line", step: "middle", data: county.map((r) => r.limit), lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } },
    ],
  });
  const stages = [...new Set(data.schools.map((s) => s.stage))];
  const stagePick = select(stages.map((s) => [s, label("stage", s)]), stages[0], { id: "ind-stage" });
  const indPick = select(Object.keys(state.vocabulary.indicator).map((k) => [k, label("indicator", k)]), "backbone", { id: "ind-indicator" });
  const changed = h("input", { type: "checkbox", id: "ind-changed", checked: true });
  const box = h("div", { class: "chart tall", id: "school-indicators", role: "img", "aria-label": t("各校指标：交流前后与标准") });
  const note = h("p", { class: "muted" });
  let c = null;
  const draw = () => {
    let rows = data.schools.filter((s) => s.stage === stagePick.value);
    const v = (s) => s.values.find((x) => x.indicator === indPick.value);
    if (changed.checked) rows = rows.filter((s) => v(s).before !== v(s).after);
    rows = rows.slice(0, 60);
    note.textContent = t("显示 {n} 所学校（最多 60 所）。", { n: rows.length });
    if (c) c.dispose();
    c = chart(box, {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [t("交流前"), t("交流后"), t("标准")] },
      grid: { left: 16, right: 20, bottom: 10 },
      xAxis: { type: "category", data: rows.map((s) => s.name), axisLabel: { interval: 0, rotate: 45, fontSize: 11 } },
      yAxis: { type: "value", name: t("每百名学生") },
      series: [
        { name: t("交流前"), type: "bar", data: rows.map((s) => v(s).before), itemStyle: { color: "#9aa5b1" } },
        { name: t("交流后"), type: "bar", data: rows.map((s) => v(s).after), itemStyle: { color: "#0b5cad" } },
        { name: t("标准"), type: "line", data: rows.map((s) => v(s).target), symbol: "none", lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } },
      ],
    });
  };
  for (const el of [stagePick, indPick, changed]) el.addEventListener("change", draw);
  panel.append(h("h2", {}, t("各校指标：交流前后")),
    h("div", { class: "row" }, field(t("学段"), stagePick), field(t("指标"), indPick), h("label", { for: "ind-changed" }, changed, " ", t("只看有变化的学校"))), note, box);
  draw();
}

async function map(panel, plan) {
  const data = await api(`/plans/${plan.id}/map`);
  const box = h("div", { class: "chart tall", id: "moves-map", role: "img", "aria-label": t("交流示意图：按学校坐标绘制") });
  const side = h("div", { class: "card", id: "no-coordinates" },
    h("h3", {}, t("没有坐标的学校（未画出）")),
    data.without_coordinates.length
      ? h("ul", {}, data.without_coordinates.map((s) => h("li", {}, `${s.name}：${t("派出 {a}，接收 {b}", { a: s.sent, b: s.received })}`)))
      : h("p", { class: "muted" }, t("所有有交流的学校都有坐标。")));
  panel.append(h("p", { class: "muted" }, t("按学校经纬度绘制的示意图（不含底图）。灰点：学校；蓝点：派出；橙点：接收；线：交流，越粗人数越多。")),
    h("div", { class: "split" }, box, side));
  const at = Object.fromEntries(data.schools.map((s) => [s.school_id, s]));
  const lines = data.flows.filter((f) => at[f.from_school_id] && at[f.to_school_id]).map((f) => ({
    coords: [[at[f.from_school_id].lon, at[f.from_school_id].lat], [at[f.to_school_id].lon, at[f.to_school_id].lat]],
    lineStyle: { width: Math.min(1 + f.teachers, 6) },
    value: f.teachers,
  }));
  const point = (s) => ({ value: [s.lon, s.lat], name: s.name, sent: s.sent, received: s.received });
  chart(box, {
    tooltip: { formatter: (p) => (p.seriesType === "lines" ? t("{n} 人", { n: p.value }) : `${p.name}<br>${t("派出 {a}，接收 {b}", { a: p.data.sent, b: p.data.received })}`) },
    grid: { left: 16, right: 20, top: 20, bottom: 10 },
    xAxis: { type: "value", scale: true, name: t("经度"), splitLine: { show: false } },
    yAxis: { type: "value", scale: true, name: t("纬度"), splitLine: { show: false } },
    series: [
      { type: "scatter", symbolSize: 4, itemStyle: { color: "#c3cad2" }, data: data.schools.filter((s) => !s.sent && !s.received).map(point) },
      { type: "lines", coordinateSystem: "cartesian2d", data: lines, lineStyle: { color: "#0b5cad", opacity: 0.45, curveness: 0.15 }, effect: { show: false } },
      { type: "scatter", symbolSize: 8, itemStyle: { color: "#0b5cad" }, data: data.schools.filter((s) => s.sent).map(point) },
      { type: "scatter", symbolSize: 8, itemStyle: { color: "#e08a00" }, data: data.schools.filter((s) => s.received && !s.sent).map(point) },
    ],
  });
}

function adjust(panel, plan) {
  if (!state.session.can_edit) {
    panel.append(h("p", {}, t("调整需要经办人权限。")));
    return;
  }
  if (plan.publication) {
    panel.append(h("p", {}, t("本方案已发布，不能调整。需要改动时，请在本快照的未发布方案上调整、重新求解，再发布新方案替代它。")));
    return;
  }
  const limit = h("input", { type: "number", id: "replan-time-limit", value: plan.options.time_limit || 30, min: 1 });
  const out = h("div");
  const draw = () => {
    const current = pendingLocks(plan.id);
    out.replaceChildren(table([
      { key: "kind", title: t("类型"), render: (l) => label("lock_kind", l.kind) },
      { key: "teacher_id", title: t("教师编号") },
      { key: "school_id", title: t("学校编号") },
      { key: "x", title: t("操作"), render: (l) => h("button", { type: "button", class: "small", onclick: () => { setPendingLocks(plan.id, current.filter((y) => y !== l)); draw(); } }, t("移除")) },
    ], current, { empty: t("还没有调整：在交流名单中点“锁定”“留任”“不接收”。") }));
  };
  const start = h("button", { type: "button", class: "primary", id: "replan-start" }, t("以本方案为起点重新求解"));
  const err = h("div");
  start.addEventListener("click", async () => {
    try {
      const accepted = await api(`/plans/${plan.id}/replan`, { method: "POST", json: { locks: pendingLocks(plan.id), time_limit: Number(limit.value) } });
      setPendingLocks(plan.id, []);
      location.hash = `#/plans/${accepted.id}`;
    } catch (e) {
      err.replaceChildren(errorBox(e));
    }
  });
  panel.append(h("p", {}, t("原方案的锁定保留；新的锁定加在其上。求解从本方案出发（热启动），完成后可查看改变了什么。")), out,
    h("div", { class: "row" }, field(t("求解时间上限（秒）"), limit), start), err);
  draw();
}

function files(panel, plan) {
  const verdict = h("div", { id: "check-verdict" });
  const check = h("button", { type: "button", id: "plan-check" }, t("重新独立校验"));
  check.addEventListener("click", async () => {
    const r = await api(`/plans/${plan.id}/check`, { method: "POST" });
    verdict.replaceChildren(...[h("p", { class: r.ok ? "ok" : "bad" }, r.ok ? t("校验通过：没有违反任何硬性规则（{n} 条规则）", { n: r.checked_rules.length }) : t("校验发现 {n} 处违规", { n: r.violations.length })),
      r.violations.length ? h("ul", {}, r.violations.map((v) => h("li", {}, typeof v === "string" ? v : v.message || JSON.stringify(v)))) : null].filter(Boolean));
  });
  const dl = (path) => async () => toast(t("已下载 {name}", { name: await download(path) }));
  panel.append(
    h("div", { class: "row" },
      h("button", { type: "button", id: "download-xlsx", onclick: dl(`/plans/${plan.id}/export.xlsx`) }, t("下载方案工作簿（.xlsx）")),
      h("button", { type: "button", id: "download-csv", onclick: dl(`/plans/${plan.id}/export.csv`) }, t("下载 plan.csv")),
      check),
    verdict,
    plan.notes?.length ? h("div", {}, h("h3", {}, t("求解说明")), h("ul", {}, plan.notes.map((n) => h("li", {}, bilingual(n))))) : null,
  );
}

/** The needs the plan leaves open, with their causes (from the plan's stored figures). */
function unfilledNeeds(panel, rows) {
  if (!rows) {
    panel.append(h("p", { class: "muted" }, t("本方案生成时还没有记录未填补岗位。")));
    return;
  }
  if (!rows.length) {
    panel.append(h("p", { class: "ok" }, t("所有岗位需求都已填补。")));
    return;
  }
  const causes = [...new Set(rows.map((r) => r.cause))];
  const stages = [...new Set(rows.map((r) => r.stage))];
  const subjects = [...new Set(rows.map((r) => r.subject))];
  const cause = select([["", t("全部")], ...causes.map((c) => [c, label("unfilled_cause", c)])], "", { id: "unfilled-cause" });
  const stage = select([["", t("全部")], ...stages.map((k) => [k, label("stage", k)])], "", { id: "unfilled-stage" });
  const subject = select([["", t("全部")], ...subjects.map((k) => [k, label("subject", k)])], "", { id: "unfilled-subject" });
  const school = h("input", { type: "search", id: "unfilled-school", placeholder: t("学校名称或编号") });
  const note = h("p", { "aria-live": "polite" });
  const out = h("div");
  const draw = () => {
    const q = school.value.trim();
    const shown = rows.filter((r) => (!cause.value || r.cause === cause.value) && (!stage.value || r.stage === stage.value)
      && (!subject.value || r.subject === subject.value) && (!q || r.school_id === q || r.school_name.includes(q)));
    const open = shown.reduce((n, r) => n + r.count - r.filled, 0);
    note.textContent = t("显示 {k} 项需求（共 {n} 项），尚缺 {open} 人。", { k: shown.length, n: rows.length, open });
    out.replaceChildren(table([
      { key: "school_name", title: t("学校"), render: (r) => `${r.school_name}（${r.school_id}）` },
      { key: "post", title: t("学段学科"), render: (r) => `${label("stage", r.stage)}${label("subject", r.subject)}` },
      { key: "count", title: t("需求"), num: true },
      { key: "filled", title: t("已安排"), num: true },
      { key: "open", title: t("尚缺"), num: true, render: (r) => r.count - r.filled },
      { key: "cause", title: t("原因类别"), render: (r) => label("unfilled_cause", r.cause) },
      { key: "reason", title: t("原因"), render: (r) => h("span", { class: "reasons" }, lang() === "en" ? r.reason_en : r.reason_zh) },
    ], shown));
  };
  for (const el of [cause, stage, subject]) el.addEventListener("change", draw);
  school.addEventListener("input", draw);
  school.addEventListener("change", draw);
  panel.append(h("div", { class: "row", role: "search", "aria-label": t("筛选未填补岗位") },
    field(t("原因类别"), cause), field(t("学段"), stage), field(t("学科"), subject), field(t("学校"), school)), note, out);
  draw();
}
