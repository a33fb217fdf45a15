// The console's shell: sign-in state, navigation, the snapshot picker, the language switch
// and a hash router (#/county, #/plans/3, ...). Pages live in pages/, one module each.
import { api, setToken, token } from "./api.js";
import { lang, setLang, t } from "./i18n.js";
import { datasetId, setDatasetId, state } from "./state.js";
import { disposeCharts, h, select } from "./ui.js";

const PAGES = {
  signin: () => import("./pages/signin.js"),
  import: () => import("./pages/importing.js"),
  county: () => import("./pages/county.js"),
  policy: () => import("./pages/policy.js"),
  plan: () => import("./pages/plan.js"),
  plans: () => import("./pages/reading.js"),
  diff: () => import("./pages/diff.js"),
  compare: () => import("./pages/compare.js"),
  outlook: () => import("./pages/outlook.js"),
  hiring: () => import("./pages/hiring.js"),
  downloads: () => import("./pages/downloads.js"),
  published: () => import("./pages/published.js"),
  audit: () => import("./pages/audit.js"),
};

const NAV = [
  ["import", "导入花名册", true],
  ["county", "全县概况", false],
  ["policy", "政策参数", false],
  ["plan", "生成方案", false],
  ["compare", "方案比较", false],
  ["outlook", "逐年推演", false],
  ["hiring", "县管校聘", false],
  ["downloads", "下载", false],
  ["published", "发布记录", false],
  ["audit", "操作日志", true],
];

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "") || "county";
  const [path, qs] = raw.split("?");
  const parts = path.split("/").filter(Boolean);
  return { page: parts[0] || "county", args: parts.slice(1), params: new URLSearchParams(qs || "") };
}

export async function loadSession() {
  // The role belongs to the token: asked again whenever the token changes.
  const cached = JSON.parse(sessionStorage.getItem("console.session") || "null");
  if (cached && cached.token === token()) state.session = cached.session;
  else {
    state.session = await api("/session");
    sessionStorage.setItem("console.session", JSON.stringify({ token: token(), session: state.session }));
  }
  if (!state.vocabulary) state.vocabulary = await api("/vocabulary");
}

export async function refreshDatasets() {
  state.datasets = await api("/datasets");
  if (!state.datasets.some((d) => d.id === datasetId())) setDatasetId(state.datasets[0]?.id || null);
}

function renderChrome(current) {
  const signedIn = Boolean(token()) && state.session;
  document.getElementById("brand").textContent = t("教师交流轮岗 · 人事股控制台");
  document.getElementById("skip-link").textContent = t("跳到正文");
  document.title = t("教师交流轮岗 · 人事股控制台");
  const langButton = document.getElementById("lang-switch");
  langButton.textContent = lang() === "en" ? "中文" : "English";
  langButton.setAttribute("aria-label", lang() === "en" ? "切换到中文" : "Switch to English");
  const out = document.getElementById("sign-out");
  out.hidden = !signedIn;
  out.textContent = t("退出");
  document.getElementById("who").textContent = signedIn
    ? t("身份：{role}", { role: lang() === "en" ? state.session.role : state.session.role_zh })
    : "";
  const nav = document.getElementById("nav");
  nav.hidden = !signedIn;
  nav.replaceChildren();
  nav.setAttribute("aria-label", t("主菜单"));
  if (!signedIn) return;
  for (const [key, text, officerOnly] of NAV) {
    if (officerOnly && !state.session.can_edit) continue;
    const a = h("a", { href: `#/${key}` }, t(text));
    if (key === current || (key === "plan" && (current === "plans" || current === "diff"))) a.setAttribute("aria-current", "page");
    nav.append(a);
  }
  const options = state.datasets.map((d) => [d.id, `#${d.id} ${d.file_name}（${t("{n} 人", { n: d.teachers })}）`]);
  if (!options.length) options.push(["", t("尚无花名册")]);
  const picker = select(options, datasetId(), { id: "dataset-picker" });
  picker.addEventListener("change", () => {
    setDatasetId(Number(picker.value));
    route();
  });
  nav.append(h("div", { class: "ds" }, h("label", { for: "dataset-picker" }, t("花名册快照")), picker));
}

let routing = 0;

export async function route() {
  const mine = ++routing;
  const { page, args, params } = parseHash();
  const main = document.getElementById("main");
  disposeCharts();
  if (page !== "signin" && !token()) {
    location.hash = "#/signin";
    return;
  }
  try {
    if (page !== "signin") {
      await loadSession();
      await refreshDatasets();
    }
  } catch {
    return; // a 401 has already sent the user to sign-in
  }
  if (mine !== routing) return;
  renderChrome(page);
  const load = PAGES[page] || PAGES.county;
  const module = await load();
  if (mine !== routing) return;
  main.replaceChildren();
  try {
    await module.render(main, { args, params });
  } catch (err) {
    if (err.status === 401) return;
    main.append(h("div", { class: "card bad", role: "alert" }, String(err.message || err)));
  }
  main.focus({ preventScroll: true });
}

document.getElementById("lang-switch").addEventListener("click", () => {
  setLang(lang() === "en" ? "zh" : "en");
  route();
});
document.getElementById("sign-out").addEventListener("click", () => {
  setToken("");
  sessionStorage.clear();
  state.session = null;
  location.hash = "#/signin";
});
window.addEventListener("hashchange", route);
setLang(lang());
route();
