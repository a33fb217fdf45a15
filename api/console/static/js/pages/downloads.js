// Every workbook the service makes for this snapshot: plans, comparisons, hiring results.
import { api, download, query } from "../api.js";
import { t } from "../i18n.js";
import { datasetId } from "../state.js";
import { h, table, toast } from "../ui.js";

const dl = (path) => async () => toast(t("已下载 {name}", { name: await download(path) }));

export async function render(main) {
  main.append(h("h1", {}, t("下载")));
  const id = datasetId();
  if (!id) {
    main.append(h("p", { class: "card" }, t("还没有花名册。")));
    return;
  }
  const [plans, whatifs, outlooks, allocations] = await Promise.all([
    api(`/plans${query({ dataset_id: id })}`), api(`/whatif${query({ dataset_id: id })}`), api(`/outlook${query({ dataset_id: id })}`), api(`/allocation${query({ dataset_id: id })}`),
  ]);
  const button = (text, path, bid) => h("button", { type: "button", class: "small", id: bid, onclick: dl(path) }, text);
  main.append(
    h("h2", {}, t("交流方案")),
    table([
      { key: "id", title: t("方案"), render: (p) => h("a", { href: `#/plans/${p.id}` }, `#${p.id}`) },
      { key: "status", title: t("状态"), render: (p) => t(p.status_zh) },
      { key: "files", title: t("文件"), render: (p) => (p.metrics ? h("div", {}, button(t("方案工作簿（.xlsx）"), `/plans/${p.id}/export.xlsx`, `dl-plan-${p.id}-xlsx`), " ", button("plan.csv", `/plans/${p.id}/export.csv`, `dl-plan-${p.id}-csv`)) : "—") },
    ], plans, { empty: t("还没有方案") }),
    h("h2", {}, t("政策模拟比较表")),
    table([
      { key: "id", title: t("模拟"), render: (j) => `#${j.id}` },
      { key: "status", title: t("状态"), render: (j) => t(j.status_zh) },
      { key: "files", title: t("文件"), render: (j) => (j.status === "done" || j.status === "cancelled" ? button("comparison.csv", `/whatif/${j.id}/comparison.csv`, `dl-whatif-${j.id}`) : "—") },
    ], whatifs, { empty: t("还没有模拟") }),
    h("h2", {}, t("逐年推演")),
    table([
      { key: "id", title: t("推演"), render: (j) => h("a", { href: `#/outlook?job=${j.id}` }, `#${j.id}`) },
      { key: "status", title: t("状态"), render: (j) => t(j.status_zh) },
      { key: "files", title: t("文件"), render: (j) => (j.status === "done" || j.status === "cancelled" ? h("div", {}, ["trajectory.csv", "schools.csv", "quotas.csv", "outlook.png"].map((f) => [button(f, `/outlook/${j.id}/files/${f}`, `dl-outlook-${j.id}-${f.replace(".", "-")}`), " "])) : "—") },
    ], outlooks, { empty: t("还没有推演") }),
    h("h2", {}, t("县管校聘结果")),
    table([
      { key: "id", title: t("竞聘"), render: (j) => `#${j.id}` },
      { key: "status", title: t("状态"), render: (j) => t(j.status_zh) },
      { key: "files", title: t("文件"), render: (j) => (j.status === "done" ? h("div", {}, button(t("竞聘结果（.xlsx）"), `/allocation/${j.id}/allocation.xlsx`, `dl-alloc-${j.id}-xlsx`), " ", button("allocation.csv", `/allocation/${j.id}/allocation.csv`, `dl-alloc-${j.id}-csv`)) : "—") },
    ], allocations, { empty: t("还没有竞聘结果") }),
  );
}
