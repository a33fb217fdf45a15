// Start a plan (year, saved policy, time limit, solver) and list the plans of the snapshot.
import { api, query } from "../api.js";
import { bilingual, t } from "../i18n.js";
import { datasetId, state } from "../state.js";
import { errorBox, field, fmt, h, select, table } from "../ui.js";

export function statusBadge(p) {
  const cls = p.status === "done" ? "ok" : p.status === "failed" || p.status === "interrupted" ? "bad" : "";
  return h("span", { class: `badge ${cls}` }, t(p.status_zh));
}

export async function render(main) {
  main.append(h("h1", {}, t("生成方案")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。")));
    return;
  }
  const [plans, policies, published] = await Promise.all([api(`/plans${query({ dataset_id: id })}`), api("/policies"), api("/published")]);
  const publication = Object.fromEntries(published.map((r) => [r.plan_id, r]));
  if (state.session.can_edit) {
    const ds = state.datasets.find((d) => d.id === id);
    const year = h("input", { type: "number", id: "plan-year", value: ds?.year || new Date().getFullYear(), min: 2000, max: 2100 });
    const policy = select([["", t("默认政策")], ...policies.map((p) => [p.name, p.name])], "", { id: "plan-policy" });
    const limit = h("input", { type: "number", id: "plan-time-limit", value: 30, min: 1, max: 3600 });
    const backend = select([["highs", "HiGHS"], ["cpsat", "CP-SAT"], ["scip", "SCIP"], ["greedy", t("经验排序（不优化）")]], "highs", { id: "plan-backend" });
    const seed = h("input", { type: "number", id: "plan-seed", value: 0, min: 0 });
    const out = h("div");
    const form = h("form", { class: "card", id: "plan-form" },
      h("div", { class: "row" }, field(t("方案年度"), year), field(t("政策"), policy), field(t("求解时间上限（秒）"), limit), field(t("求解器"), backend), field(t("随机种子"), seed),
        h("button", { type: "submit", class: "primary", id: "plan-start" }, t("开始生成"))), out);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const body = { year: Number(year.value), time_limit: Number(limit.value), backend: backend.value, seed: Number(seed.value) };
        if (policy.value) body.policy_name = policy.value;
        const accepted = await api(`/datasets/${id}/plans`, { method: "POST", json: body });
        location.hash = `#/plans/${accepted.id}`;
      } catch (err) {
        out.replaceChildren(errorBox(err));
      }
    });
    main.append(form);
  }
  main.append(h("h2", {}, t("本快照的方案")),
    table([
      { key: "id", title: t("编号"), render: (p) => h("a", { href: `#/plans/${p.id}` }, `#${p.id}`) },
      { key: "year", title: t("年度"), render: (p) => String(p.year) },
      { key: "status", title: t("状态"), render: statusBadge },
      { key: "published", title: t("发布"), render: (p) => (publication[p.id] ? h("span", { class: `badge ${publication[p.id].superseded_at ? "" : "ok"}` }, publication[p.id].superseded_at ? t("已被替代") : t("已发布")) : "") },
      { key: "policy_name", title: t("政策"), render: (p) => p.policy_name || t("默认政策") },
      { key: "assignments", title: t("交流人数"), num: true },
      { key: "needs", title: t("填补岗位"), num: true, render: (p) => (p.metrics ? `${p.metrics.needs_filled}/${p.metrics.needs_open}` : "—") },
      { key: "locks", title: t("锁定"), num: true },
      { key: "hint", title: t("起点"), render: (p) => (p.options.hint_plan_id ? t("由 #{id} 调整", { id: p.options.hint_plan_id }) : "") },
      { key: "solve_seconds", title: t("用时（秒）"), num: true, render: (p) => fmt(p.solve_seconds, 1) },
      { key: "error", title: t("说明"), render: (p) => bilingual(p.error || "") },
    ], plans, { empty: t("还没有方案") }));
}
