// What changed between two plans: who moves in one only, who moves elsewhere, the figures.
import { api } from "../api.js";
import { lang, t } from "../i18n.js";
import { fmt, h, table } from "../ui.js";

export async function render(main, { args }) {
  const [a, b] = args.map(Number);
  const d = await api(`/plans/${a}/diff/${b}`);
  main.append(
    h("h1", {}, t("方案 #{a} 与 #{b} 的差异", { a, b })),
    h("p", { id: "diff-summary" }, t("相同安排 {same} 人；仅 #{a} 交流 {x} 人；仅 #{b} 交流 {y} 人；去向不同 {z} 人。",
      { same: d.same, a, b, x: d.only_a.length, y: d.only_b.length, z: d.elsewhere.length })),
    h("p", {}, h("a", { href: `#/plans/${a}` }, `← #${a}`), "  ", h("a", { href: `#/plans/${b}` }, `#${b} →`)),
    h("h2", {}, t("指标对比")),
    table([
      { key: "label", title: t("指标"), render: (f) => (lang() === "en" ? f.key : f.label) },
      { key: "a", title: `#${a}`, num: true, render: (f) => fmt(f.a, 3) },
      { key: "b", title: `#${b}`, num: true, render: (f) => fmt(f.b, 3) },
      { key: "delta", title: t("变化"), num: true, render: (f) => (f.delta === null ? "—" : (f.delta > 0 ? "+" : "") + fmt(f.delta, 3)) },
    ], d.figures),
  );
  const moveCols = [
    { key: "teacher_id", title: t("编号") },
    { key: "name", title: t("姓名") },
    { key: "from_school_id", title: t("原学校") },
    { key: "to_a", title: t("#{a} 去向", { a }), render: (m) => m.to_a || "—" },
    { key: "to_b", title: t("#{b} 去向", { b }), render: (m) => m.to_b || "—" },
  ];
  for (const [title, rows, id] of [[t("仅在 #{a} 中交流", { a }), d.only_a, "only-a"], [t("仅在 #{b} 中交流", { b }), d.only_b, "only-b"], [t("去向不同", {}), d.elsewhere, "elsewhere"]]) {
    main.append(h("h2", { id }, `${title}（${rows.length}）`), table(moveCols, rows.slice(0, 500), { empty: t("无") }));
  }
}
