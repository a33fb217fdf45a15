// 操作日志: who did what to which object and when, filtered and paged by the server
// (GET /audit, officers only). The filters live in the address, so a link can open them.
import { api, query } from "../api.js";
import { lang, t } from "../i18n.js";
import { state } from "../state.js";
import { field, h, label, pager, select, table, when } from "../ui.js";

const FILTERS = ["actor", "action", "object_kind", "object_id", "from", "to"];
const PAGE = 50;

// the names of the detail's keys (the API writes them in English)
const DETAIL_ZH = {
  county: "县区", year: "学年", file_name: "文件", checksum: "校验和", teachers: "教师数",
  dataset_id: "快照", policy_name: "政策", warm_start_from: "热启动自", locks: "锁定",
  format: "格式", official: "正式方案", by_plan_id: "被方案替代", supersedes_plan_id: "替代方案",
  kind: "类型",
};

/** Midnight of a yyyy-mm-dd day in the reader's time zone, as the API's ISO moment. */
function dayStart(day, plusDays = 0) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function detailText(detail) {
  const parts = [];
  for (const [k, v] of Object.entries(detail || {})) {
    if (v === null || v === undefined || v === "") continue;
    let value = v;
    if (Array.isArray(v)) value = t("{n} 项", { n: v.length });
    else if (typeof v === "boolean") value = v ? t("是") : t("否");
    else if (typeof v === "object") value = JSON.stringify(v);
    else if (k === "checksum") value = `${String(v).slice(0, 12)}…`;
    const en = lang() === "en";
    const name = DETAIL_ZH[k] && !en ? DETAIL_ZH[k] : k;
    parts.push(en ? `${name}: ${value}` : `${name}：${value}`);
  }
  return parts.join(lang() === "en" ? "; " : "；");
}

function objectCell(r) {
  const name = label("audit_object", r.object_kind);
  const href = r.object_kind === "plan" ? `#/plans/${r.object_id}` : null;
  return h("span", {}, `${name} `, href ? h("a", { href }, `#${r.object_id}`) : `#${r.object_id}`);
}

export async function render(main, { params }) {
  main.append(h("h1", {}, t("操作日志")));
  if (!state.session.can_edit) {
    main.append(h("p", { class: "card" }, t("操作日志需要经办人权限。")));
    return;
  }
  const actor = h("input", { type: "search", id: "audit-actor", value: params.get("actor") || "", placeholder: t("如 王老师:officer") });
  const action = select([["", t("全部")], ...Object.keys(state.vocabulary.audit_action || {}).map((k) => [k, label("audit_action", k)])], params.get("action") || "", { id: "audit-action" });
  const kind = select([["", t("全部")], ...Object.keys(state.vocabulary.audit_object || {}).map((k) => [k, label("audit_object", k)])], params.get("object_kind") || "", { id: "audit-object-kind" });
  const objectId = h("input", { type: "search", id: "audit-object-id", value: params.get("object_id") || "", size: 8 });
  const from = h("input", { type: "date", id: "audit-from", value: params.get("from") || "" });
  const to = h("input", { type: "date", id: "audit-to", value: params.get("to") || "" });
  const out = h("div", { id: "audit-result" });
  const controls = { actor, action, object_kind: kind, object_id: objectId, from, to };

  const load = async (offset = 0) => {
    const q = {
      actor: actor.value.trim(), action: action.value, object_kind: kind.value, object_id: objectId.value.trim(),
      since: from.value ? dayStart(from.value) : "", until: to.value ? dayStart(to.value, 1) : "", offset, limit: PAGE,
    };
    const page = await api(`/audit${query(q)}`);
    out.replaceChildren(
      table([
        { key: "at", title: t("时间"), render: (r) => when(r.at) },
        { key: "actor", title: t("操作人") },
        { key: "action", title: t("操作"), render: (r) => label("audit_action", r.action) },
        { key: "object", title: t("对象"), render: objectCell },
        { key: "detail", title: t("详情"), render: (r) => h("span", { class: "reasons" }, detailText(r.detail)) },
      ], page.items, { empty: t("没有符合条件的操作记录") }),
      pager(page, load),
    );
  };
  const form = h("form", { class: "card", id: "audit-form", role: "search", "aria-label": t("筛选操作日志") },
    h("div", { class: "row" },
      field(t("操作人"), actor),
      field(t("操作"), action),
      field(t("对象"), kind),
      field(t("对象编号"), objectId),
      field(t("起始日期"), from),
      field(t("截止日期（含）"), to),
      h("button", { type: "submit", class: "primary", id: "audit-search" }, t("查询")),
      h("button", { type: "button", id: "audit-clear", onclick: () => { location.hash = "#/audit"; } }, t("清除筛选"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const k of FILTERS) if (controls[k].value.trim()) q.set(k, controls[k].value.trim());
    const next = `#/audit${q.toString() ? `?${q}` : ""}`;
    if (location.hash === next) load(0);
    else location.hash = next;
  });
  main.append(h("p", { class: "muted" }, t("每一次导入、生成、停止、锁定、发布和导出都记在这里，只增不改。最新的在前，每页 {n} 条。", { n: PAGE })), form, out);
  await load(0);
}
