// 发布记录: the plans each county has published, the one in force and those it superseded,
// newest first, as the API keeps them (GET /published).
import { api, query } from "../api.js";
import { t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { field, h, select, table, when } from "../ui.js";

export async function render(main, { params }) {
  main.append(h("h1", {}, t("发布记录")));
  const counties = [...new Set(state.datasets.map((d) => d.county).filter(Boolean))].sort();
  const mine = state.datasets.find((d) => d.id === datasetId())?.county || "";
  const chosen = params.has("county") ? params.get("county") : mine;
  const county = select([["", t("全部县区")], ...counties.map((c) => [c, c])], chosen, { id: "published-county" });
  if (chosen && !counties.includes(chosen)) county.append(h("option", { value: chosen, selected: true }, chosen));
  const year = h("input", { type: "number", id: "published-year", min: 1990, max: 2100, value: params.get("year") || "" });
  const out = h("div", { id: "published-result" });
  const load = async () => {
    const rows = await api(`/published${query({ county: county.value, year: year.value })}`);
    const current = rows.filter((r) => !r.superseded_at);
    out.replaceChildren(
      h("h2", {}, t("现行的正式方案")),
      table(columns(false), current, { empty: t("还没有发布的方案") }),
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
