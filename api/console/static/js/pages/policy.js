// The year's policy on a form: every parameter with the policy's own description, checked
// by the API as the officer types, saved under a name.
import { api } from "../api.js";
import { bilingual, lang, t } from "../i18n.js";
import { state } from "../state.js";
import { field, h, select, toast } from "../ui.js";

function valueOf(f, control) {
  if (f.kind === "choices") return [...control.querySelectorAll("input:checked")].map((c) => c.value);
  const raw = control.value.trim();
  if (raw === "") return f.optional ? null : raw;
  if (f.kind === "int" || f.kind === "float") return Number.isNaN(Number(raw)) ? raw : Number(raw);
  return raw;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function control(f, value, readOnly) {
  if (f.kind === "choice") return select(f.choices.map((c) => [c.value, lang() === "en" ? c.value : c.label]), value, { disabled: readOnly, "data-name": f.name });
  if (f.kind === "choices") {
    const box = h("div", { class: "checks", role: "group", "data-name": f.name });
    for (const c of f.choices) {
      const cb = h("input", { type: "checkbox", value: c.value, id: `p-${f.name}-${c.value}`, disabled: readOnly });
      cb.checked = (value || []).includes(c.value);
      box.append(h("label", { for: cb.id }, cb, lang() === "en" ? c.value : c.label));
    }
    return box;
  }
  const attrs = { type: f.kind === "text" ? "text" : "number", value: value ?? "", readonly: readOnly, "data-name": f.name, size: 10 };
  if (f.kind === "float") attrs.step = "any";
  if (f.minimum !== null) attrs.min = f.minimum;
  if (f.maximum !== null) attrs.max = f.maximum;
  if (f.optional) attrs.placeholder = t("留空表示不限");
  return h("input", attrs);
}

export async function render(main) {
  const readOnly = !state.session.can_edit;
  const [groups, saved] = await Promise.all([api("/policy/form"), api("/policies")]);
  main.append(h("h1", {}, t("政策参数")));
  main.append(h("p", { class: "muted" }, t("每个参数的说明取自政策本身。修改后系统会立即检查；保存后可在生成方案时选用。")));
  const controls = new Map();
  const fields = new Map();
  const savedPick = select([["", t("默认政策")], ...saved.map((p) => [p.name, p.name])], "", { id: "policy-load" });
  const name = h("input", { type: "text", id: "policy-name", required: true, readonly: readOnly });
  const desc = h("input", { type: "text", id: "policy-desc", size: 40, readonly: readOnly });
  const status = h("div", { id: "policy-status", role: "status", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary", id: "policy-save", hidden: readOnly }, t("保存政策"));
  const form = h("form", { id: "policy-form", "aria-label": t("政策参数") });
  const top = h("div", { class: "card row" }, field(t("载入已保存的政策"), savedPick), field(t("政策名称"), name), field(t("说明"), desc), save, status);
  form.append(top);
  for (const g of groups) {
    const grid = h("div", { class: "policy-grid" });
    for (const f of g.fields) {
      fields.set(f.name, f);
      const c = control(f, f.default, readOnly);
      controls.set(f.name, c);
      const hint = lang() === "en" ? bilingual(f.description) : f.description.split(" / ")[0];
      const range = [f.minimum !== null ? `≥ ${f.minimum}` : "", f.maximum !== null ? `≤ ${f.maximum}` : ""].filter(Boolean).join("，");
      grid.append(field(`${lang() === "en" ? f.name : f.label}`, c, { hint: `${f.name}${range ? `（${range}）` : ""}${hint && hint !== f.label ? `：${hint}` : ""}` }));
    }
    form.append(h("fieldset", {}, h("legend", {}, lang() === "en" ? g.key : g.label), grid));
  }
  main.append(form);

  const overrides = () => {
    const out = {};
    for (const [k, c] of controls) {
      const f = fields.get(k);
      const v = valueOf(f, c);
      const unchanged = f.kind === "choices" ? same([...v].sort(), [...(f.default || [])].sort()) : same(v, f.default);
      if (!unchanged) out[k] = v;
    }
    return out;
  };
  let timer = null;
  const check = async () => {
    const result = await api("/policy/check", { method: "POST", json: { overrides: overrides() } });
    for (const [k, c] of controls) {
      const err = document.getElementById(`${c.id}-err`);
      const message = result.errors[k];
      c.setAttribute("aria-invalid", message ? "true" : "false");
      if (err) err.textContent = message ? bilingual(message) : "";
    }
    status.textContent = result.ok ? t("参数有效，共修改 {n} 项", { n: Object.keys(overrides()).length }) : bilingual(result.policy_error || t("有参数需要修改"));
    status.className = result.ok ? "ok" : "bad";
    return result.ok;
  };
  form.addEventListener("input", (e) => {
    if (!e.target.closest("[data-name]")) return; // the name and description are not parameters
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  savedPick.addEventListener("change", () => {
    const p = saved.find((x) => x.name === savedPick.value);
    for (const [k, c] of controls) {
      const f = fields.get(k);
      const v = p && k in p.overrides ? p.overrides[k] : f.default;
      if (f.kind === "choices") c.querySelectorAll("input").forEach((cb) => { cb.checked = (v || []).includes(cb.value); });
      else c.value = v ?? "";
    }
    name.value = p ? p.name : "";
    desc.value = p ? p.description : "";
    check();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearTimeout(timer);
    if (readOnly) return;
    if (!name.value.trim()) {
      status.textContent = t("请填写政策名称");
      status.className = "bad";
      name.focus();
      return;
    }
    if (!(await check())) return;
    try {
      await api(`/policies/${encodeURIComponent(name.value.trim())}`, { method: "PUT", json: { description: desc.value, overrides: overrides() } });
      toast(t("已保存政策「{name}」", { name: name.value.trim() }));
      status.textContent = t("已保存政策「{name}」", { name: name.value.trim() });
      status.className = "ok";
    } catch (err) {
      status.textContent = bilingual(err.message);
      status.className = "bad";
    }
  });
}
