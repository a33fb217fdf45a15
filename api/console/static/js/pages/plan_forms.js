// A plan's forms of exchange besides the transfer, as tabs of the plan page: 校长交流 (who is
// due, who moves where, who is promoted in place, every leader not moved and why), 走教 (each
// teacher's week, paged, and the hour needs covered and left) and 跟岗学习 (placements with
// the move that covers each). Everything shown comes from the API's read models
// (api/views/plan_forms.py); the page only filters what it was given.
import { api, query } from "../api.js";
import { lang, t } from "../i18n.js";
import { field, fmt, h, label, pager, stat, table, yes } from "../ui.js";

const words = (r, key) => (lang() === "en" ? r[`${key}_en`] : r[`${key}_zh`]);
const post = (r) => `${label("stage", r.stage)}${label("subject", r.subject)}`;
const years = (r) => (r.start_year === r.end_year ? String(r.start_year) : `${r.start_year}–${r.end_year}`);

/** 校长交流: GET /plans/{id}/leaders. */
export async function principals(panel, plan) {
  const data = await api(`/plans/${plan.id}/leaders`);
  if (!data) {
    panel.append(h("p", { class: "muted", id: "principals-empty" }, t("名册没有职务列，本方案没有校长交流。")));
    return;
  }
  const dueStays = data.stays.filter((r) => r.due).length;
  panel.append(
    h("div", { class: "cards", id: "principals-stats" },
      stat(t("校长人数"), fmt(data.principals)),
      stat(t("副校长人数"), fmt(data.vice_principals)),
      stat(t("任职期满"), fmt(data.due)),
      stat(t("应交流"), fmt(data.required)),
      stat(t("已安排交流"), fmt(data.moved), data.met ? "" : "warn"),
      stat(t("本校提任校长"), fmt(data.promoted_in_place)),
      stat(t("期满未交流"), fmt(dueStays))),
    h("p", { id: "principals-headline" }, words(data, "headline")),
    data.vacancies.length
      ? h("div", { class: "card warnbox", id: "principal-vacancies", role: "note" },
          h("h2", { class: "warn" }, t("交流后没有校长的学校（{n} 所）", { n: data.vacancies.length })),
          h("ul", {}, data.vacancies.map((v) => h("li", {}, `${v.school}：${words(v, "reason")}`))))
      : h("p", { class: "muted", id: "principal-vacancies" }, t("交流后每所学校都有校长。")),
    h("h2", {}, t("交流与本校提任（{n} 人）", { n: data.moves.length })),
    table([
      { key: "teacher_id", title: t("编号"), nowrap: true },
      { key: "name", title: t("姓名"), nowrap: true },
      { key: "kind", title: t("类型"), nowrap: true, render: (r) => label("leader_move", r.kind) },
      { key: "position", title: t("职务"), nowrap: true, render: (r) => (r.position === r.new_position ? label("position", r.position) : `${label("position", r.position)} → ${label("position", r.new_position)}`) },
      { key: "from_school", title: t("原学校") },
      { key: "to_school", title: t("去往学校"), render: (r) => (r.to_school_id === r.from_school_id ? t("本校") : r.to_school) },
      { key: "years_in_post", title: t("任现职年限"), num: true },
      { key: "years", title: t("起止年度"), nowrap: true, render: years },
      { key: "distance_km", title: t("距离"), num: true, render: (r) => fmt(r.distance_km, 1) },
      { key: "reasons", title: t("理由"), render: (r) => h("span", { class: "reasons" }, r.reasons) },
    ], data.moves, { empty: t("本方案没有校长、副校长交流。") }),
  );
  const only = h("input", { type: "checkbox", id: "stays-due-only" });
  const out = h("div", { id: "principal-stays" });
  const draw = () => out.replaceChildren(table([
    { key: "teacher_id", title: t("编号"), nowrap: true },
    { key: "name", title: t("姓名"), nowrap: true },
    { key: "position", title: t("职务"), nowrap: true, render: (r) => label("position", r.position) },
    { key: "school", title: t("学校") },
    { key: "years_in_post", title: t("任现职年限"), num: true },
    { key: "due", title: t("任职期满"), render: (r) => yes(r.due) },
    { key: "reason", title: t("未交流原因"), render: (r) => h("span", { class: "reasons" }, words(r, "reason")) },
  ], only.checked ? data.stays.filter((r) => r.due) : data.stays, { empty: t("没有未交流的校长、副校长。") }));
  only.addEventListener("change", draw);
  panel.append(h("h2", {}, t("未交流的校长、副校长（{n} 人）", { n: data.stays.length })),
    h("div", { class: "row" }, h("label", { for: "stays-due-only" }, only, " ", t("只看任职期满的"))), out);
  draw();
}

/** 走教: GET /plans/{id}/itinerant, the teachers paged by the server. */
export async function itinerant(panel, plan) {
  const q = h("input", { type: "search", id: "itinerant-q", placeholder: t("姓名、编号或学校") });
  const out = h("div", { id: "itinerant-teachers" });
  const needsBox = h("div");
  let first = true;
  const load = async (offset = 0) => {
    const data = await api(`/plans/${plan.id}/itinerant${query({ q: q.value.trim(), offset, limit: 20 })}`);
    if (!data) {
      panel.replaceChildren(h("p", { class: "muted", id: "itinerant-empty" }, t("名册没有课时需求（hours_needs），本方案没有走教安排。")));
      return;
    }
    if (first) {
      first = false;
      drawFigures(data);
      drawNeeds(needsBox, data);
    }
    const page = data.teachers;
    out.replaceChildren(table([
      { key: "teacher_id", title: t("编号"), nowrap: true },
      { key: "name", title: t("姓名"), nowrap: true },
      { key: "home_school", title: t("编制学校") },
      { key: "post", title: t("学段学科"), render: post },
      { key: "weekly_hours", title: t("每周课时"), num: true },
      { key: "schools", title: t("走教学校数"), num: true },
      { key: "days", title: t("每周安排"), render: (r) => h("ul", { class: "week" }, r.days.map((d) => h("li", {}, `${label("weekday", d.day)} ${d.school} ${t("{n} 节", { n: d.hours })}`))) },
    ], page.items, { empty: t("没有符合条件的走教教师。") }), pager(page, load));
  };
  const figures = h("div");
  const drawFigures = (data) => {
    const f = data.figures;
    figures.replaceChildren(
      h("div", { class: "cards", id: "itinerant-stats" },
        stat(t("课时需求（节/周）"), fmt(f.hours_needed)),
        stat(t("交流教师承担"), fmt(f.hours_by_transfer)),
        stat(t("走教安排"), fmt(f.hours_covered)),
        stat(t("仍缺"), fmt(f.hours_open), f.hours_open ? "warn" : ""),
        stat(t("走教教师"), fmt(f.teachers)),
        stat(t("服务学校"), fmt(f.schools_served))),
      h("p", { id: "itinerant-summary" }, lang() === "en" ? data.summary_en : data.summary_zh));
  };
  q.addEventListener("change", () => load(0));
  panel.append(figures, h("h2", {}, t("走教教师每周安排")),
    h("div", { class: "row", role: "search", "aria-label": t("筛选走教教师") }, field(t("查找教师或学校"), q)), out, needsBox);
  await load();
}

function drawNeeds(box, data) {
  const only = h("input", { type: "checkbox", id: "needs-open-only" });
  const out = h("div", { id: "itinerant-needs" });
  const draw = () => out.replaceChildren(table([
    { key: "school", title: t("学校"), render: (r) => `${r.school}（${r.school_id}）` },
    { key: "post", title: t("学段学科"), render: post },
    { key: "hours", title: t("周课时需求"), num: true },
    { key: "by_transfer", title: t("交流教师承担"), num: true },
    { key: "by_itinerant", title: t("走教承担"), num: true },
    { key: "open", title: t("仍缺"), num: true },
  ], only.checked ? data.needs.filter((n) => n.open > 0) : data.needs));
  only.addEventListener("change", draw);
  box.append(h("h2", {}, t("各校课时需求的落实")),
    h("p", { id: "itinerant-needs-note" }, t("{n} 项课时需求，{k} 项仍有缺口。", { n: data.needs.length, k: data.needs_open })),
    h("div", { class: "row" }, h("label", { for: "needs-open-only" }, only, " ", t("只看仍有缺口的"))), out);
  draw();
}

/** 跟岗学习: GET /plans/{id}/shadowing/covers. */
export async function shadowing(panel, plan) {
  const data = await api(`/plans/${plan.id}/shadowing/covers`);
  panel.append(
    h("p", { id: "shadowing-note" }, t("申请跟岗学习 {a} 人，安排 {n} 人。", { a: data.applicants, n: data.placed }),
      data.placed ? t("每人原校同学段学科由本方案交流到校的教师补位，学校不缺人。") : ""),
    data.placed
      ? table([
          { key: "teacher_id", title: t("编号"), nowrap: true },
          { key: "name", title: t("姓名"), nowrap: true },
          { key: "from_school", title: t("原学校") },
          { key: "host_school", title: t("跟岗学校") },
          { key: "post", title: t("学段学科"), render: post },
          { key: "term", title: t("期限"), nowrap: true, render: (r) => label("shadowing_term", r.term) },
          { key: "distance_km", title: t("距离"), num: true, render: (r) => fmt(r.distance_km, 1) },
          { key: "cover", title: t("补位教师"), render: (r) => (r.cover_teacher_id ? h("div", {}, `${r.cover_name}（${r.cover_teacher_id}）`, h("div", { class: "muted" }, t("来自 {school}", { school: r.cover_from_school }))) : h("span", { class: "bad" }, t("无补位"))) },
          { key: "reasons", title: t("说明"), render: (r) => h("span", { class: "reasons" }, r.reasons) },
        ], data.placements)
      : h("p", { class: "muted", id: "shadowing-empty" }, data.applicants
        ? t("本方案没有安排跟岗学习。")
        : t("名册中没有教师申请跟岗学习，本方案没有跟岗学习安排。")),
  );
}
