// Import a roster: drop the workbook or the CSV files. Row problems are listed in Chinese
// with the suggestion and nothing is stored; a clean import shows the new snapshot.
import { api } from "../api.js";
import { bilingual, t } from "../i18n.js";
import { setDatasetId, state } from "../state.js";
import { field, fmt, h, rosterWarnings, stat, table } from "../ui.js";
import { refreshDatasets } from "../app.js";

export async function render(main) {
  main.append(h("h1", {}, t("导入花名册")));
  if (!state.session.can_edit) {
    main.append(h("p", { class: "card" }, t("导入需要经办人权限。")));
    return;
  }
  const files = h("input", { type: "file", id: "roster-files", multiple: true, accept: ".xlsx,.csv" });
  const year = h("input", { type: "number", id: "roster-year", value: new Date().getFullYear(), min: 2000, max: 2100 });
  const county = h("input", { type: "text", id: "roster-county", maxlength: 100, size: 14 });
  const chosen = h("div", { class: "muted", "aria-live": "polite" });
  const result = h("div", { id: "import-result" });
  let picked = [];
  const setFiles = (list) => {
    picked = [...list];
    chosen.textContent = picked.length ? t("已选择：{names}", { names: picked.map((f) => f.name).join("、") }) : "";
  };
  files.addEventListener("change", () => setFiles(files.files));
  const drop = h("div", { class: "drop", id: "drop-zone" },
    h("p", {}, t("把工作簿（.xlsx）或 schools.csv、teachers.csv、needs.csv 拖到这里，或")),
    field(t("选择文件"), files), chosen);
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    setFiles(e.dataTransfer.files);
  });
  const button = h("button", { type: "submit", class: "primary", id: "upload-button" }, t("导入并检查"));
  const form = h("form", { class: "card" }, drop,
    h("div", { class: "row" }, field(t("方案年度（摘要依据）"), year), field(t("县区"), county, { hint: t("留空则取文件名") }), button));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!picked.length) {
      result.replaceChildren(h("div", { class: "card bad", role: "alert" }, t("请先选择文件。")));
      return;
    }
    const data = new FormData();
    for (const f of picked) data.append("files", f, f.name);
    data.append("year", year.value);
    if (county.value.trim()) data.append("county", county.value.trim());
    button.disabled = true;
    result.replaceChildren(h("p", { class: "muted" }, t("正在读取和检查……")));
    try {
      const ds = await api("/datasets", { method: "POST", form: data });
      setDatasetId(ds.id);
      await refreshDatasets();
      result.replaceChildren(snapshot(ds));
    } catch (err) {
      result.replaceChildren(problems(err));
    } finally {
      button.disabled = false;
    }
  });
  main.append(form, result);
}

function problems(err) {
  const body = err.body || {};
  const list = body.problems || [];
  return h("div", { class: "card", role: "alert", id: "import-problems" },
    h("h2", { class: "bad" }, bilingual(body.detail || err.message)),
    h("p", {}, t("未保存任何数据。请按下表修改后重新导入。")),
    list.length
      ? table(
          [
            { key: "file", title: t("文件") },
            { key: "row", title: t("行"), num: true },
            { key: "column", title: t("列") },
            { key: "value", title: t("填写的值") },
            { key: "suggestion", title: t("建议") },
            { key: "message", title: t("说明"), render: (p) => bilingual(p.message) },
          ],
          list,
        )
      : null,
  );
}

function snapshot(ds) {
  const s = ds.summary || {};
  const warnings = s.warnings || ds.warnings || [];
  return h("div", { class: "card", id: "import-snapshot" },
    h("h2", { class: "ok" }, t("已导入为快照 #{id}", { id: ds.id })),
    h("div", { class: "cards" },
      stat(t("县区"), ds.county || "—"),
      stat(t("学校"), fmt(ds.schools)),
      stat(t("教师"), fmt(ds.teachers)),
      stat(t("岗位需求"), fmt(ds.needs)),
      stat(t("符合交流条件"), fmt(s.eligible?.total)),
      stat(t("应交流人数"), fmt(s.quotas?.county?.required)),
    ),
    rosterWarnings(warnings, { id: "import-warnings" }),
    h("p", {}, h("a", { href: "#/county" }, t("查看全县概况 →"))),
  );
}
