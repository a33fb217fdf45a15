// Sign in with the token the bureau issued; the API says which role it carries.
import { api, setToken } from "../api.js";
import { bilingual, t } from "../i18n.js";
import { state } from "../state.js";
import { field, h } from "../ui.js";

export async function render(main, { params }) {
  const reason = params.get("reason");
  const input = h("input", { type: "password", id: "token", autocomplete: "current-password", required: true, size: 36 });
  const message = h("div", { role: "alert", class: "bad", id: "signin-message" },
    reason === "invalid" ? t("令牌无效或已过期，请重新登录。") : reason === "missing" ? t("请先登录。") : "");
  const form = h("form", { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, t("登录")),
    h("p", { class: "muted" }, t("请输入教育局发放的访问令牌（经办人或查看者）。令牌只保存在本浏览器标签页中。")),
    field(t("访问令牌"), input),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary", id: "signin-button" }, t("登录"))),
    message,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setToken(input.value.trim());
    sessionStorage.removeItem("console.session");
    try {
      state.session = await api("/session");
      sessionStorage.setItem("console.session", JSON.stringify({ token: input.value.trim(), session: state.session }));
      location.hash = "#/county";
    } catch (err) {
      setToken("");
      message.textContent = err.status === 401 ? t("令牌无效或已过期，请重新登录。") : bilingual(err.message);
      location.hash = "#/signin?reason=invalid";
    }
  });
  main.append(form);
  input.focus();
}
