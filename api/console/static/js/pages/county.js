// The county: schools (role, eligible teachers, quota, indicators), the 2017 indicators'
// CVs against their limits, and teachers with eligibility and the reasons why not.
import { api, query } from "../api.js";
import { t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { chart, field, fmt, h, label, pager, rosterWarnings, select, stat, table, tabs, yes } from "../ui.js";


export async function render(main) {
  main.append(h("h1", {}, t("全县概况")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。"), state.session.can_edit ? h("a", { href: "#/import" }, t("导入花名册")) : ""));
    return;
  }
  const overview = await api(`/datasets/${id}/county`);
  const s = overview.summary;
  main.append(
    h("div", { class: "cards", id: "county-stats" },
      stat(t("学校"), fmt(s.schools.total)),
      stat(t("派出学校"), fmt((s.schools.by_role.sender || 0) + (s.schools.by_role.both || 0))),
      stat(t("接收学校"), fmt((s.schools.by_role.receiver || 0) + (s.schools.by_role.both || 0))),
      stat(t("教师"), fmt(s.teachers.total)),
      stat(t("符合交流条件"), fmt(s.eligible.total)),
      stat(t("应交流人数"), fmt(s.quotas.county.required)),
      stat(t("其中骨干至少"), fmt(s.quotas.county.backbone_required)),
      stat(t("岗位需求"), fmt(s.needs.total)),
    ),
  );
  if (s.warnings?.length) main.append(rosterWarnings(s.warnings, { id: "county-warnings", heading: t("导入时的合理性提示（{n} 条）", { n: s.warnings.length }) }));
  const f = overview.filters;
  const filters = { town: "", stage: "", subject: "", role: "" };
  const town = select([["", t("全部")], ...f.towns.map((x) => [x, x])], "", { id: "filter-town" });
  const stage = select([["", t("全部")], ...f.stages.map((x) => [x, label("stage", x)])], "", { id: "filter-stage" });
  const subject = select([["", t("全部")], ...f.subjects.map((x) => [x, label("subject", x)])], "", { id: "filter-subject" });
  const role = select([["", t("全部")], ...f.roles.map((x) => [x, label("role", x)])], "", { id: "filter-role" });
  const bar = h("div", { class: "row card", role: "search", "aria-label": t("筛选") },
    field(t("乡镇"), town), field(t("学段"), stage), field(t("学科（教师）"), subject), field(t("学校角色"), role));
  main.append(bar);
  const body = h("div");
  let current = "schools";
  const show = async (key) => {
    current = key;
    body.replaceChildren(tabs([["schools", t("学校与名额")], ["indicators", t("2017 指标")], ["teachers", t("教师与交流资格")], ["reasons", t("不符合原因")]], show, key));
    const panel = h("div", { role: "tabpanel", "aria-labelledby": `tab-${key}`, id: `panel-${key}` });
    body.append(panel);
    if (key === "schools") await schools(panel, id, filters);
    else if (key === "indicators") indicators(panel, s);
    else if (key === "teachers") await teachers(panel, id, filters);
    else reasons(panel, s);
  };
  for (const [k, el] of Object.entries({ town, stage, subject, role })) {
    el.addEventListener("change", () => { filters[k] = el.value; show(current); });
  }
  main.append(body);
  await show("schools");
}

function partCell(r) {
  if (!r.indicators.length) return h("span", { class: "muted" }, t("不评估"));
  return h("div", {}, r.indicators.map((p) =>
    h("div", {}, `${label("stage", p.stage)}：`, p.values.map((v) =>
      h("span", { class: v.met ? "ok" : "bad", title: `${label("indicator", v.indicator)} ${v.value} / ${v.target}` },
        `${label("indicator", v.indicator)} ${fmt(v.value)}${v.met ? "" : "↓"}  `)))));
}

async function schools(panel, id, filters) {
  const load = async (offset = 0) => {
    const page = await api(`/datasets/${id}/county/schools${query({ town: filters.town, stage: filters.stage, role: filters.role, offset, limit: 50 })}`);
    panel.replaceChildren(
      table([
        { key: "name", title: t("学校") },
        { key: "town", title: t("乡镇") },
        { key: "stage", title: t("学段"), render: (r) => label("school_stage", r.stage) },
        { key: "role", title: t("角色"), render: (r) => label("role", r.role) },
        { key: "teachers", title: t("教师"), num: true },
        { key: "eligible", title: t("符合条件"), num: true },
        { key: "quota_required", title: t("应交流"), num: true },
        { key: "quota_backbone_required", title: t("骨干至少"), num: true },
        { key: "quota_maximum", title: t("上限"), num: true },
        { key: "indicators", title: t("每百名学生指标（↓ 未达标）"), render: partCell },
      ], page.items),
      pager(page, load),
    );
  };
  await load();
}

function indicators(panel, s) {
  const rows = s.indicators;
  const box = h("div", { class: "chart", id: "cv-chart", role: "img", "aria-label": t("差异系数与上限") });
  panel.append(h("h2", {}, t("校际差异系数与上限")), box,
    table([
      { key: "stage", title: t("学段"), render: (r) => label("stage", r.stage) },
      { key: "indicator", title: t("指标"), render: (r) => label("indicator", r.indicator) },
      { key: "mean", title: t("均值"), num: true },
      { key: "target", title: t("标准"), num: true },
      { key: "cv", title: t("差异系数"), num: true, render: (r) => fmt(r.cv, 3) },
      { key: "limit", title: t("上限"), num: true },
      { key: "cv_met", title: t("达标"), render: (r) => yes(r.cv_met) },
      { key: "below", title: t("低于标准的学校"), num: true, render: (r) => `${r.schools_below_target.length}/${r.schools_evaluated}` },
    ], rows));
  const names = rows.map((r) => `${label("stage", r.stage)}·${label("indicator", r.indicator)}`);
  chart(box, {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [t("差异系数"), t("上限")] },
    grid: { left: 16, right: 20, top: 40, bottom: 10 },
    xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 15 } },
    yAxis: { type: "value", name: t("差异系数") },
    series: [
      { name: t("差异系数"), type: "bar", itemStyle: { color: "#2e7d4f" }, data: rows.map((r) => ({ value: r.cv, itemStyle: { color: r.cv_met ? "#2e7d4f" : "#c0392b" } })) },
      { name: t("上限"), type: "line", step: "middle", data: rows.map((r) => r.limit), lineStyle: { type: "dashed", color: "#b3261e" }, itemStyle: { color: "#b3261e" } },
    ],
  });
}

async function teachers(panel, id, filters) {
  const eligible = select([["", t("全部")], ["true", t("符合")], ["false", t("不符合")]], "", { id: "filter-eligible" });
  const q = h("input", { type: "search", id: "filter-teacher", placeholder: t("姓名或编号") });
  const out = h("div");
  const load = async (offset = 0) => {
    const page = await api(`/datasets/${id}/county/teachers${query({ ...filters, eligible: eligible.value, q: q.value.trim(), offset, limit: 50 })}`);
    const cols = [
      { key: "teacher_id", title: t("编号") },
      { key: "name", title: t("姓名") },
      { key: "school_name", title: t("学校") },
      { key: "stage", title: t("学段"), render: (r) => label("stage", r.stage) },
      { key: "subject", title: t("学科"), render: (r) => label("subject", r.subject) },
      { key: "title", title: t("职称"), render: (r) => label("title", r.title) },
      { key: "backbone", title: t("骨干"), render: (r) => label("backbone", r.backbone) },
      { key: "school_start_year", title: t("到校年份"), num: true, render: (r) => String(r.school_start_year) },
    ];
    if (state.session.sees_birth_dates) cols.push({ key: "birth_date", title: t("出生日期") });
    cols.push({ key: "eligible", title: t("符合交流条件"), render: (r) => yes(r.eligible) });
    cols.push({ key: "ineligible_reasons", title: t("不符合的原因"), render: (r) => h("span", { class: "reasons" }, r.ineligible_reasons.join("；")) });
    out.replaceChildren(table(cols, page.items), pager(page, load));
  };
  eligible.addEventListener("change", () => load());
  q.addEventListener("change", () => load());
  panel.append(h("div", { class: "row" }, field(t("交流资格"), eligible), field(t("查找教师"), q)), out);
  await load();
}

function reasons(panel, s) {
  const entries = Object.entries(s.eligible.ineligible_reasons).sort((a, b) => b[1] - a[1]);
  const box = h("div", { class: "chart", id: "reasons-chart", role: "img", "aria-label": t("不符合交流条件的原因") });
  panel.append(h("h2", {}, t("不符合交流条件的原因（人次）")), box);
  chart(box, {
    tooltip: {},
    grid: { left: 16, right: 30 },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: entries.map((e) => e[0]).reverse() },
    series: [{ type: "bar", data: entries.map((e) => e[1]).reverse(), label: { show: true, position: "right" } }],
  });
}
